import { type ChatMessage, type ChatTemplate, closingText } from '@sirllm/core';

/** The texts one call must feed, cut from renderings of the history with the chat template. */
export interface TurnText {
  /** Leading messages of the history that stay fed (fewer than asked when the template is not prefix-stable). */
  readonly shared: number;
  /** The text of each new message `history[shared..]`, in order. */
  readonly messages: readonly string[];
  /** The opening of the reply after the last message (the generation prompt). */
  readonly prompt: string;
  /** What the template writes after the reply's text (e.g. an end-of-turn token), often empty. */
  readonly closing: string;
  /** False when some rendering did not extend the one before it (the texts above then hold fallbacks). */
  readonly prefixStable: boolean;
}

/** How many fed messages a call may step back over to find a rendering the whole history still extends. */
const maximumStepsBack = 8;

/**
 * Cuts the texts of a call out of renderings of the whole history: the first `shared` messages
 * (already fed), each prefix up to a new message, the history with the generation prompt, and the
 * history followed by a placeholder reply. O(history) per rendering.
 *
 * Where a template is not prefix-stable, `prefixStable` is false and the texts still concatenate to the
 * whole rendering:
 * - when the history no longer starts with the rendering of the fed messages (e.g. Qwen 3 drops the
 *   think block of a reply once a message follows it), `shared` steps back, up to 8 messages, to the
 *   last message whose rendering it does start with (else to 0), and feeding restarts from there;
 * - when a message changes the text of the new messages before it (e.g. Qwen closes a turn of tool
 *   results only after the last one), the earlier texts are cut back to what both renderings share and
 *   the rest goes with the later message (or, when it would change fed text, everything is re-fed).
 */
export function renderTurnText(
  template: ChatTemplate,
  history: readonly ChatMessage[],
  sharedMessages: number,
): TurnText {
  const whole = template.render(history, { addGenerationPrompt: true });
  const renderPrefix = (length: number) =>
    length === 0 ? '' : template.render(history.slice(0, length), { addGenerationPrompt: false });
  let shared = sharedMessages;
  let before = renderPrefix(shared);
  let prefixStable = whole.startsWith(before);
  for (let steps = 0; !whole.startsWith(before); steps++) {
    shared = steps < maximumStepsBack ? shared - 1 : 0; // the template is not prefix-stable here
    before = renderPrefix(shared);
  }
  const pieces = new TextPieces(before);
  for (let index = shared; index < history.length; index++) {
    const next = renderPrefix(index + 1);
    if (!pieces.extendTo(next)) return { ...renderTurnText(template, history, 0), prefixStable: false };
    prefixStable &&= pieces.stable;
  }
  const withoutPrompt = pieces.messages.length;
  if (!pieces.extendTo(whole)) return { ...renderTurnText(template, history, 0), prefixStable: false };
  prefixStable &&= pieces.stable;
  const messages = pieces.messages.slice(0, withoutPrompt);
  const prompt = pieces.messages[withoutPrompt] as string;
  return { shared, messages, prompt, closing: closingText(template, history, whole), prefixStable };
}

/**
 * Texts cut from successive renderings: each rendering's text past the one before it. A rendering that
 * changes the end of earlier (not yet fed) texts cuts them back to what both share.
 */
class TextPieces {
  readonly messages: string[] = [];
  /** False once some rendering did not simply extend the one before it. */
  stable = true;
  #rendered: string;
  readonly #fedLength: number;

  constructor(fed: string) {
    this.#rendered = fed;
    this.#fedLength = fed.length;
  }

  /** Adds the text `next` has past the current rendering; false when `next` changes already-fed text. */
  extendTo(next: string): boolean {
    let common = this.#rendered.length;
    if (!next.startsWith(this.#rendered)) {
      this.stable = false;
      common = 0;
      while (common < this.#rendered.length && this.#rendered[common] === next[common]) common++;
      if (common < this.#fedLength) return false;
      let excess = this.#rendered.length - common;
      for (let index = this.messages.length - 1; excess > 0; index--) {
        const text = this.messages[index] as string;
        const cut = Math.min(excess, text.length);
        this.messages[index] = text.slice(0, text.length - cut);
        excess -= cut;
      }
    }
    this.messages.push(next.slice(common));
    this.#rendered = next;
    return true;
  }
}

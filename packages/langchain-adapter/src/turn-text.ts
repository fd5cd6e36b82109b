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

/**
 * Cuts the texts of a call out of renderings of the whole history: the first `shared` messages
 * (already fed), each prefix up to a new message, the history with the generation prompt, and the
 * history followed by a placeholder reply. Where a template is not prefix-stable, feeding restarts from
 * the first message (or, within the new messages, from the whole rendering), and `prefixStable` says so.
 * O(history) per rendering.
 */
export function renderTurnText(
  template: ChatTemplate,
  history: readonly ChatMessage[],
  sharedMessages: number,
): TurnText {
  let shared = sharedMessages;
  let prefixStable = true;
  const whole = template.render(history, { addGenerationPrompt: true });
  let before = shared === 0 ? '' : template.render(history.slice(0, shared), { addGenerationPrompt: false });
  if (!whole.startsWith(before)) {
    shared = 0; // the template is not prefix-stable here: start over
    before = '';
    prefixStable = false;
  }
  const messages: string[] = [];
  let rendered = before;
  for (let index = shared; index < history.length; index++) {
    const next = template.render(history.slice(0, index + 1), { addGenerationPrompt: false });
    if (next.startsWith(rendered)) {
      messages.push(next.slice(rendered.length));
    } else {
      messages.push(next);
      prefixStable = false;
    }
    rendered = next;
  }
  let prompt = '';
  if (whole.startsWith(rendered)) prompt = whole.slice(rendered.length);
  else prefixStable = false;
  return { shared, messages, prompt, closing: closingText(template, history, whole), prefixStable };
}

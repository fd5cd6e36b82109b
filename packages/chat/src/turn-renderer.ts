import type { ChatMessage, ChatTemplate } from '@sirllm/core';
import { renderTurnText, type TurnText } from './turn-text.js';

/**
 * How a call's new messages are rendered: `'incremental'` renders them after a short window of the
 * history (the first message and the last two or three fed ones), checked once per template and history
 * shape against rendering the whole history; `'full'` always renders the whole history.
 */
export type ChatRendering = 'incremental' | 'full';

/** The most window shapes remembered per template; beyond it, unseen shapes are rendered in full. */
const maximumShapes = 256;

/**
 * Renders what a call must feed (see {@link TurnText}) in time that does not grow with the history.
 *
 * Chat templates render the whole history on every call (node-llama-cpp's Jinja renderer took ~60 ms for
 * 2,000 messages), yet most templates are concatenative: a message's text depends only on the message,
 * its neighbours and whether a system message leads. So the new messages are rendered after a window —
 * the first message and the last two fed messages (three when that keeps the number of dropped messages
 * even, for templates that check that roles alternate) — and the texts are cut from that rendering.
 *
 * The first time a window shape (the roles of the window and of the new messages) is seen, the whole
 * history is rendered too and the texts compared; a shape whose texts differ, or whose window rendering
 * fails or is not prefix-stable, is rendered in full from then on. Until a shape is confirmed, and
 * whenever it was refuted, the result is that of the full rendering, so a template that depends on the
 * whole history (e.g. one that rewrites earlier replies when a new user message arrives) keeps its exact
 * texts. What one check cannot see is a template that renders a message differently by its absolute
 * index alone; use `'full'` for such a template.
 */
export class TurnRenderer {
  readonly template: ChatTemplate;
  readonly rendering: ChatRendering;
  /** Window shapes compared with the full rendering: true where they gave the same texts. */
  readonly #shapes = new Map<string, boolean>();

  constructor(template: ChatTemplate, rendering: ChatRendering = 'incremental') {
    this.template = template;
    this.rendering = rendering;
  }

  /** The texts of a call whose first `shared` messages were fed before. */
  render(history: readonly ChatMessage[], shared: number): TurnText {
    const tailStart = this.rendering === 'incremental' ? windowTailStart(shared) : undefined;
    if (tailStart === undefined) return renderTurnText(this.template, history, shared);
    const shape = shapeOf(history, shared, tailStart);
    const confirmed = this.#shapes.get(shape);
    if (confirmed === false) return renderTurnText(this.template, history, shared);
    const windowed = this.#renderWindowed(history, shared, tailStart);
    if (confirmed === true && windowed) return windowed;
    const full = renderTurnText(this.template, history, shared);
    if (confirmed === undefined && this.#shapes.size < maximumShapes) {
      this.#shapes.set(shape, windowed !== undefined && sameTurnText(windowed, full));
    }
    return full;
  }

  /** The texts cut from a rendering of the window and the new messages; undefined where that fails. */
  #renderWindowed(history: readonly ChatMessage[], shared: number, tailStart: number): TurnText | undefined {
    const window = [history[0] as ChatMessage, ...history.slice(tailStart, shared)];
    let text: TurnText;
    try {
      text = renderTurnText(this.template, [...window, ...history.slice(shared)], window.length);
    } catch {
      return undefined; // e.g. a template that refuses the shortened history: render the whole one
    }
    return text.prefixStable ? { ...text, shared } : undefined;
  }
}

/**
 * Where the window's tail starts, or undefined when the window would drop fewer than two messages
 * (rendering the whole history is then as cheap). The number of dropped messages is kept even.
 */
function windowTailStart(shared: number): number | undefined {
  let tailStart = shared - 2;
  if ((tailStart - 1) % 2 === 1) tailStart--;
  return tailStart - 1 >= 2 ? tailStart : undefined;
}

/** The roles (and empty contents) of the window and of the new messages. */
function shapeOf(history: readonly ChatMessage[], shared: number, tailStart: number): string {
  const code = (message: ChatMessage) => `${message.role[0]}${message.content === '' ? '0' : ''}`;
  const window = [history[0] as ChatMessage, ...history.slice(tailStart, shared)];
  return `${window.map(code).join('')}|${history.slice(shared).map(code).join('')}`;
}

function sameTurnText(a: TurnText, b: TurnText): boolean {
  return (
    a.shared === b.shared &&
    a.prefixStable === b.prefixStable &&
    a.prompt === b.prompt &&
    a.closing === b.closing &&
    a.messages.length === b.messages.length &&
    a.messages.every((text, index) => text === b.messages[index])
  );
}

import {
  type ChatMessage,
  type ChatTemplate,
  InvalidOptionError,
  type KVBackend,
  type MemorySession,
} from '@sirllm/core';

/** What a call must feed after matching its history against the conversation so far. */
export interface PreparedTurn {
  /** Tokens to feed: the new messages and the opening of the reply. */
  readonly tokens: number[];
  /** Transcript positions after each new message (for later divergence). */
  readonly boundaries: number[];
  /** Tokens of the history that were already in the conversation and were not evaluated again. */
  readonly cacheRead: number;
  /** True when the history diverged from what was fed before and the conversation was rewound. */
  readonly rebuilt: boolean;
}

/**
 * One chat session: a `MemorySession` plus the messages it has consumed and where each ended in the
 * transcript. A new call's history is matched message by message (not token by token, so a reply the
 * model generated never has to be re-tokenized to match), and only the new suffix is fed.
 */
export class Conversation {
  readonly session: MemorySession;
  readonly #template: ChatTemplate;
  readonly #backend: KVBackend;
  #messages: ChatMessage[] = [];
  /** `#boundaries[i]` = transcript length right after message i. */
  #boundaries: number[] = [];
  /** The rendering (with the generation prompt) of the history the last `prepare` saw. */
  #lastPrompt: { history: readonly ChatMessage[]; text: string } | undefined;

  constructor(session: MemorySession, template: ChatTemplate) {
    this.session = session;
    this.#template = template;
    this.#backend = session.backend;
  }

  /** A conversation continued from a saved record (see `encodeConversation`). */
  static fromRecord(
    session: MemorySession,
    template: ChatTemplate,
    record: { messages: readonly ChatMessage[]; boundaries: readonly number[] },
  ): Conversation {
    const conversation = new Conversation(session, template);
    const last = record.boundaries.at(-1) ?? 0;
    if (last > session.transcript.length) {
      throw new InvalidOptionError({
        option: 'saved session',
        value: last,
        expected: `message boundaries inside the transcript of ${session.transcript.length} tokens`,
      });
    }
    conversation.#messages = [...record.messages];
    conversation.#boundaries = [...record.boundaries];
    return conversation;
  }

  /** What must be saved besides the session snapshot to continue this conversation later. */
  get record(): { messages: readonly ChatMessage[]; boundaries: readonly number[] } {
    return { messages: this.#messages, boundaries: this.#boundaries };
  }

  /** Messages consumed so far (the last one may be a generated reply). */
  get messages(): readonly ChatMessage[] {
    return this.#messages;
  }

  /** Rewinds where `history` diverges from what was fed, and renders what must be fed now. */
  async prepare(history: readonly ChatMessage[]): Promise<PreparedTurn> {
    let shared = 0;
    while (
      shared < Math.min(history.length, this.#messages.length) &&
      sameMessage(history[shared], this.#messages[shared])
    ) {
      shared++;
    }
    const whole = this.#template.render(history, { addGenerationPrompt: true });
    this.#lastPrompt = { history, text: whole }; // reused by commitReply: long renderings are not free
    let before =
      shared === 0 ? '' : this.#template.render(history.slice(0, shared), { addGenerationPrompt: false });
    if (!whole.startsWith(before)) {
      shared = 0; // the template is not prefix-stable here: start over
      before = '';
    }
    const rebuilt = shared < this.#messages.length;
    // Also drops what an aborted call fed after the last recorded message.
    const keep = shared === 0 ? 0 : (this.#boundaries[shared - 1] as number);
    if (this.session.transcript.length !== keep) await this.session.rewind(keep);
    this.#messages = this.#messages.slice(0, shared);
    this.#boundaries = this.#boundaries.slice(0, shared);
    const cacheRead = this.session.transcript.length;
    const tokens: number[] = [];
    const boundaries: number[] = [];
    let rendered = before;
    for (let index = shared; index < history.length; index++) {
      const next = this.#template.render(history.slice(0, index + 1), { addGenerationPrompt: false });
      tokens.push(...this.#tokenize(next.startsWith(rendered) ? next.slice(rendered.length) : next));
      boundaries.push(cacheRead + tokens.length);
      rendered = next;
    }
    tokens.push(...this.#tokenize(whole.startsWith(rendered) ? whole.slice(rendered.length) : ''));
    return { tokens, boundaries, cacheRead, rebuilt };
  }

  /** Records that `history[from..]` was fed with the given boundaries. */
  commitHistory(history: readonly ChatMessage[], from: number, boundaries: readonly number[]): void {
    this.#messages = [...this.#messages.slice(0, from), ...history.slice(from)];
    this.#boundaries = [...this.#boundaries.slice(0, from), ...boundaries];
  }

  /**
   * Records the generated reply and feeds what the template puts after a reply (e.g. an end-of-turn
   * token), so the transcript matches a later rendering of the history that includes this reply.
   */
  async commitReply(history: readonly ChatMessage[], reply: string): Promise<void> {
    const closing = this.#closingText(
      history,
      this.#lastPrompt?.history === history
        ? this.#lastPrompt.text
        : this.#template.render(history, { addGenerationPrompt: true }),
    );
    if (closing) await this.session.ingest(this.#tokenize(closing), { role: 'assistant' });
    this.#messages.push({ role: 'assistant', content: reply });
    this.#boundaries.push(this.session.transcript.length);
  }

  /**
   * What the template writes after an assistant reply's text, found by rendering a placeholder reply:
   * templates may trim or escape real replies, but not a plain word.
   */
  #closingText(history: readonly ChatMessage[], withPrompt: string): string {
    const placeholder = 'SirLLMReplyPlaceholder';
    const rendered = this.#template.render([...history, { role: 'assistant', content: placeholder }], {
      addGenerationPrompt: false,
    });
    const at = rendered.indexOf(placeholder, withPrompt.length > 0 ? withPrompt.length - 1 : 0);
    return at < 0 ? '' : rendered.slice(at + placeholder.length);
  }

  #tokenize(text: string): number[] {
    return text ? this.#backend.tokenize(text, { special: true }) : [];
  }
}

function sameMessage(a: ChatMessage | undefined, b: ChatMessage | undefined): boolean {
  return a !== undefined && b !== undefined && a.role === b.role && a.content === b.content;
}

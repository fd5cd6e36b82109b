import {
  type ChatMessage,
  closingText,
  type GenerateOptions,
  type GenerateResult,
  InvalidOptionError,
  type KVBackend,
  type MemorySession,
} from '@sirllm/core';
import type { ChatTurn } from './chat-turn.js';
import type { RecordedTurn } from './recorded-turn.js';
import type { TurnRenderer } from './turn-renderer.js';

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

/** One turn run by `Conversation.runTurn`: what was fed, what was generated, and the reply recorded. */
export interface CompletedTurn<Reply> {
  readonly prepared: PreparedTurn;
  readonly result: GenerateResult;
  readonly reply: Reply;
}

/**
 * One chat session: a `MemorySession` plus the messages it has consumed and where each ended in the
 * transcript. A new call's history is matched message by message (not token by token, so a reply the
 * model generated never has to be re-tokenized to match), and only the new suffix is fed.
 */
export class Conversation {
  readonly session: MemorySession;
  readonly #renderer: TurnRenderer;
  readonly #backend: KVBackend;
  #messages: ChatMessage[] = [];
  /** `#boundaries[i]` = transcript length right after message i. */
  #boundaries: number[] = [];
  /** The closing text of the history the last `prepare` saw (see `commitReply`). */
  #pendingClosing: { history: readonly ChatMessage[]; text: string } | undefined;
  /**
   * The history the current turn answers, set when `beginTurn` ran for it (made room, decayed the
   * scores). Another call with the same history — a retry after a failed attempt, or a regeneration of
   * the reply — continues that turn instead of beginning (and decaying) another.
   */
  #turnHistory: readonly ChatMessage[] | undefined;
  /** The last call answered under a request id (see `remember`, `replayOf`). */
  #lastTurn: RecordedTurn | undefined;

  constructor(session: MemorySession, renderer: TurnRenderer) {
    this.session = session;
    this.#renderer = renderer;
    this.#backend = session.backend;
  }

  /** A conversation continued from a saved record (see `encodeConversation`). */
  static fromRecord(
    session: MemorySession,
    renderer: TurnRenderer,
    record: { messages: readonly ChatMessage[]; boundaries: readonly number[]; lastTurn?: RecordedTurn },
  ): Conversation {
    const conversation = new Conversation(session, renderer);
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
    conversation.#lastTurn = record.lastTurn;
    return conversation;
  }

  /** What must be saved besides the session snapshot to continue this conversation later. */
  get record(): {
    messages: readonly ChatMessage[];
    boundaries: readonly number[];
    lastTurn: RecordedTurn | undefined;
  } {
    return { messages: this.#messages, boundaries: this.#boundaries, lastTurn: this.#lastTurn };
  }

  /** Records the call just answered under `requestId` (kept until the next call with an id). */
  remember(requestId: string, turn: ChatTurn): void {
    this.#lastTurn = { requestId, turn };
  }

  /**
   * The recorded answer when `requestId` is the last call answered and `history` is what it answered
   * (the conversation ends with that reply): a retry of a call that already took effect.
   */
  replayOf(requestId: string, history: readonly ChatMessage[]): ChatTurn | undefined {
    const last = this.#lastTurn;
    if (last?.requestId !== requestId) return undefined;
    if (this.#messages.at(-1)?.role !== 'assistant') return undefined;
    return sameHistory(this.#messages.slice(0, -1), history) ? last.turn : undefined;
  }

  /** Messages consumed so far (the last one may be a generated reply). */
  get messages(): readonly ChatMessage[] {
    return this.#messages;
  }

  /**
   * One whole chat turn over `history`: `prepare` (rewind where it diverges, render the new messages),
   * `beginTurn` and `ingest` of the new tokens (with `generate.signal`), `commitHistory`, `generate`,
   * then `interpret` turns the generated result into the reply (its `recorded` text is what the
   * conversation keeps as the assistant's message) and `commitReply` records it. When `interpret`
   * throws, the reply is not recorded.
   *
   * A turn that fails (an abort, an error, a reply `interpret` refuses) leaves the conversation as it
   * was before it (its messages and transcript), so that retrying the same history gives what the
   * first attempt would have given: what the attempt fed is rewound, and the retry continues the turn
   * the attempt began rather than beginning another (the room made for the new messages is still free;
   * scores are not decayed twice). Regenerating a reply (the same history again after it was
   * recorded) rewinds the reply and continues its turn the same way. What cannot come back are cells
   * that the discarded generation itself evicted when the cache filled mid-reply; and a sampled (not
   * greedy) retry draws afresh.
   */
  async runTurn<Reply extends { readonly recorded: string }>(
    history: readonly ChatMessage[],
    generate: GenerateOptions,
    interpret: (result: GenerateResult) => Reply,
  ): Promise<CompletedTurn<Reply>> {
    const prepared = await this.prepare(history);
    const { session } = this;
    const recorded = { messages: this.#messages, boundaries: this.#boundaries };
    try {
      if (!this.#turnHistory || !sameHistory(this.#turnHistory, history)) {
        await session.beginTurn({ incoming: prepared.tokens.length });
        this.#turnHistory = [...history];
      }
      await session.ingest(prepared.tokens, { role: 'user', signal: generate.signal });
      this.commitHistory(history, history.length - prepared.boundaries.length, prepared.boundaries);
      const result = await session.generate(generate);
      const reply = interpret(result);
      await this.commitReply(history, reply.recorded);
      return { prepared, result, reply };
    } catch (error) {
      this.#messages = recorded.messages;
      this.#boundaries = recorded.boundaries;
      await this.#rewindToRecorded();
      throw error;
    }
  }

  /** Drops what a failed call fed after the last recorded message (best effort: `prepare` does it too). */
  async #rewindToRecorded(): Promise<void> {
    const keep = this.#boundaries.at(-1) ?? 0;
    if (this.session.disposed || this.session.transcript.length === keep) return;
    await this.session.rewind(keep).catch(() => undefined);
  }

  /** Rewinds where `history` diverges from what was fed, and renders what must be fed now. */
  async prepare(history: readonly ChatMessage[]): Promise<PreparedTurn> {
    let matched = 0;
    while (
      matched < Math.min(history.length, this.#messages.length) &&
      sameMessage(history[matched], this.#messages[matched])
    ) {
      matched++;
    }
    const text = this.#renderer.render(history, matched);
    this.#pendingClosing = { history, text: text.closing }; // fed by commitReply after the reply
    const { shared } = text;
    const rebuilt = shared < this.#messages.length;
    // Also drops what an aborted call fed after the last recorded message.
    const keep = shared === 0 ? 0 : (this.#boundaries[shared - 1] as number);
    if (this.session.transcript.length !== keep) await this.session.rewind(keep);
    this.#messages = this.#messages.slice(0, shared);
    this.#boundaries = this.#boundaries.slice(0, shared);
    const cacheRead = this.session.transcript.length;
    const tokens: number[] = [];
    const boundaries: number[] = [];
    for (const message of text.messages) {
      tokens.push(...this.#tokenize(message));
      boundaries.push(cacheRead + tokens.length);
    }
    tokens.push(...this.#tokenize(text.prompt));
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
    const closing =
      this.#pendingClosing?.history === history
        ? this.#pendingClosing.text
        : closingText(
            this.#renderer.template,
            history,
            this.#renderer.template.render(history, { addGenerationPrompt: true }),
          );
    this.#pendingClosing = undefined;
    if (closing) await this.session.ingest(this.#tokenize(closing), { role: 'assistant' });
    this.#messages.push({ role: 'assistant', content: reply });
    this.#boundaries.push(this.session.transcript.length);
  }

  #tokenize(text: string): number[] {
    return text ? this.#backend.tokenize(text, { special: true }) : [];
  }
}

function sameMessage(a: ChatMessage | undefined, b: ChatMessage | undefined): boolean {
  return a !== undefined && b !== undefined && a.role === b.role && a.content === b.content;
}

function sameHistory(a: readonly ChatMessage[], b: readonly ChatMessage[]): boolean {
  return a.length === b.length && a.every((message, index) => sameMessage(message, b[index]));
}

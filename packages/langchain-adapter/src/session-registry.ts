import type { ChatTemplate } from '@sirllm/core';
import { MemorySession, type MemorySessionOptions } from '@sirllm/core';
import { Conversation } from './conversation.js';

interface Entry {
  conversation: Promise<Conversation>;
  /** Tail of the queue of calls on this session: calls on one session run one after another. */
  queue: Promise<unknown>;
  busy: number;
}

/**
 * The live chat sessions of one model, by id, in least-recently-used order. At most `maximum` stay
 * alive; opening one more disposes the least recently used idle session (its memory is lost).
 */
export class SessionRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #maximum: number;
  readonly #create: () => MemorySessionOptions;
  readonly #template: ChatTemplate;

  constructor({
    maximum,
    create,
    template,
  }: { maximum: number; create: () => MemorySessionOptions; template: ChatTemplate }) {
    this.#maximum = maximum;
    this.#create = create;
    this.#template = template;
  }

  get size(): number {
    return this.#entries.size;
  }

  has(sessionId: string): boolean {
    return this.#entries.has(sessionId);
  }

  /** Runs `work` on the session's conversation once every earlier call on that session has finished. */
  async run<T>(sessionId: string, work: (conversation: Conversation) => Promise<T>): Promise<T> {
    const entry = this.#open(sessionId);
    entry.busy++;
    const result = entry.queue.then(async () => work(await entry.conversation));
    entry.queue = result.catch(() => undefined);
    try {
      return await result;
    } finally {
      entry.busy--;
    }
  }

  /** Disposes one session (after its running calls) or, without an id, all of them. */
  async dispose(sessionId?: string): Promise<void> {
    const ids = sessionId === undefined ? [...this.#entries.keys()] : [sessionId];
    await Promise.all(
      ids.map(async (id) => {
        const entry = this.#entries.get(id);
        if (!entry) return;
        this.#entries.delete(id);
        await entry.queue;
        await (await entry.conversation.catch(() => undefined))?.session.dispose();
      }),
    );
  }

  #open(sessionId: string): Entry {
    const existing = this.#entries.get(sessionId);
    if (existing) {
      this.#entries.delete(sessionId); // re-insert: most recently used last
      this.#entries.set(sessionId, existing);
      return existing;
    }
    this.#evictIdle();
    const conversation = MemorySession.create(this.#create()).then(
      (session) => new Conversation(session, this.#template),
    );
    const entry: Entry = { conversation, queue: conversation.catch(() => undefined), busy: 0 };
    conversation.catch(() => this.#entries.get(sessionId) === entry && this.#entries.delete(sessionId));
    this.#entries.set(sessionId, entry);
    return entry;
  }

  #evictIdle(): void {
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size < this.#maximum) return;
      if (entry.busy === 0) void this.dispose(id);
    }
  }
}

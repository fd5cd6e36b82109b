import {
  CapabilityUnsupportedError,
  MemorySession,
  type MemorySessionOptions,
  SirLLMError,
} from '@sirllm/core';
import { Conversation } from './conversation.js';
import { decodeConversation, encodeConversation } from './conversation-snapshot.js';
import type { SessionSaveOptions, SessionStore } from './session-store.js';
import type { TurnRenderer } from './turn-renderer.js';

interface Entry {
  conversation: Promise<Conversation>;
  /** Tail of the queue of calls on this session: calls on one session run one after another. */
  queue: Promise<unknown>;
  busy: number;
}

/**
 * The live chat sessions of one model, by id, in least-recently-used order. At most `maximum` stay
 * alive; opening one more parks the least recently used idle session: saved to the `store` when there
 * is one (and the backend can snapshot), then disposed. A later call with its id restores it.
 */
export class SessionRegistry {
  readonly #entries = new Map<string, Entry>();
  /** Sessions being saved and disposed; a call for one of them waits until it is saved. */
  readonly #parking = new Map<string, Promise<void>>();
  /** Sessions whose save failed when they were parked; the next call with that id reports it once. */
  readonly #failedSaves = new Map<string, unknown>();
  readonly #maximum: number;
  readonly #create: () => MemorySessionOptions;
  readonly #renderer: TurnRenderer;
  readonly #store: SessionStore | undefined;
  readonly #saveOnPark: boolean;

  constructor(options: {
    maximum: number;
    create: () => MemorySessionOptions;
    renderer: TurnRenderer;
    store?: SessionStore;
    /**
     * Whether parking saves a session to the store (default true). False under leases: each call saves
     * its session with its lease's fence, and an unfenced save at parking could overwrite a newer one.
     */
    saveOnPark?: boolean;
  }) {
    this.#maximum = options.maximum;
    this.#create = options.create;
    this.#renderer = options.renderer;
    this.#store = options.store;
    this.#saveOnPark = options.saveOnPark ?? true;
  }

  /** Whether the session is live in this process. */
  has(sessionId: string): boolean {
    return this.#entries.has(sessionId);
  }

  /**
   * Saves a conversation to the store now, from inside a `run` of its session (so nothing can park it
   * meanwhile). Throws what the store throws (e.g. `StaleLeaseError`), and `CapabilityUnsupportedError`
   * when the backend cannot snapshot: with leases a turn that cannot be saved must not count as done.
   */
  async saveNow(
    sessionId: string,
    conversation: Conversation,
    options: SessionSaveOptions = {},
  ): Promise<void> {
    if (!this.#store) throw new SirLLMError('saveNow needs a session store.');
    const { session } = conversation;
    if (!session.canSnapshot) {
      throw new CapabilityUnsupportedError({
        capability: 'saving sessions for other processes (snapshots)',
        backend: session.backend.info.name,
        hint: 'Use a backend whose sequences snapshot (llama.cpp, transformers.js, the reference backend).',
      });
    }
    const bytes = await session.snapshot();
    await this.#store.save(
      sessionId,
      encodeConversation({ ...conversation.record, session: bytes }),
      options,
    );
  }

  /** Disposes a live session without saving it; the store keeps what it holds. */
  async discard(sessionId: string): Promise<void> {
    await this.#park(sessionId, false);
  }

  get size(): number {
    return this.#entries.size;
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

  /** Parks one session (after its running calls) or, without an id, all of them. */
  async dispose(sessionId?: string): Promise<void> {
    const ids = sessionId === undefined ? [...this.#entries.keys()] : [sessionId];
    await Promise.all(ids.map((id) => this.#park(id, true)));
  }

  /** Disposes a session without saving it and deletes what the store holds for it. */
  async forget(sessionId: string): Promise<void> {
    await this.#park(sessionId, false);
    await this.#store?.delete(sessionId);
  }

  #open(sessionId: string): Entry {
    const existing = this.#entries.get(sessionId);
    if (existing) {
      this.#entries.delete(sessionId); // re-insert: most recently used last
      this.#entries.set(sessionId, existing);
      return existing;
    }
    this.#parkIdle();
    const conversation = this.#load(sessionId);
    const entry: Entry = { conversation, queue: conversation.catch(() => undefined), busy: 0 };
    conversation.catch(() => this.#entries.get(sessionId) === entry && this.#entries.delete(sessionId));
    this.#entries.set(sessionId, entry);
    return entry;
  }

  async #load(sessionId: string): Promise<Conversation> {
    await this.#parking.get(sessionId)?.catch(() => undefined);
    if (this.#failedSaves.has(sessionId)) {
      const cause = this.#failedSaves.get(sessionId);
      this.#failedSaves.delete(sessionId);
      throw new SirLLMError(
        `Session "${sessionId}" could not be saved when it was parked, so its memory is lost; ` +
          'this call starts it afresh if you retry.',
        { cause },
      );
    }
    const saved = await this.#store?.load(sessionId);
    if (saved === undefined)
      return new Conversation(await MemorySession.create(this.#create()), this.#renderer);
    const record = decodeConversation(saved);
    const { capacity: _capacity, ...options } = this.#create();
    const session = await MemorySession.restore({ ...options, snapshot: record.session });
    try {
      return Conversation.fromRecord(session, this.#renderer, record);
    } catch (error) {
      await session.dispose();
      throw error;
    }
  }

  #parkIdle(): void {
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size < this.#maximum) return;
      if (entry.busy === 0) void this.#park(id, true).catch(() => undefined); // reported by the next call
    }
  }

  /** Removes a session from the live set now; saves (when asked and possible) and disposes it after its calls. */
  #park(sessionId: string, save: boolean): Promise<void> {
    const entry = this.#entries.get(sessionId);
    if (!entry) return this.#parking.get(sessionId) ?? Promise.resolve();
    this.#entries.delete(sessionId);
    const parked = (async () => {
      await entry.queue;
      const conversation = await entry.conversation.catch(() => undefined);
      if (!conversation) return;
      try {
        const { session } = conversation;
        if (save && this.#saveOnPark && this.#store && session.canSnapshot && session.transcript.length > 0) {
          const bytes = await session.snapshot();
          await this.#store.save(sessionId, encodeConversation({ ...conversation.record, session: bytes }));
        }
      } catch (error) {
        this.#failedSaves.set(sessionId, error);
        throw error;
      } finally {
        await conversation.session.dispose();
      }
    })();
    this.#parking.set(sessionId, parked);
    void parked
      .finally(() => this.#parking.get(sessionId) === parked && this.#parking.delete(sessionId))
      .catch(() => undefined);
    return parked;
  }
}

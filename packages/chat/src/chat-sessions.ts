import {
  CapabilityUnsupportedError,
  type ChatMessage,
  type ChatTemplate,
  InvalidOptionError,
  type KVBackend,
  MemorySession,
  type MemorySessionOptions,
  type RetentionPolicy,
  requireInteger,
  type SamplingConstraint,
  sirllm,
} from '@sirllm/core';
import type { ChatSessionsOptions } from './chat-sessions-options.js';
import type { ChatTurn, ChatTurnRequest } from './chat-turn.js';
import { Conversation } from './conversation.js';
import { LeasedCalls } from './leases/leased-calls.js';
import type { SessionLeases } from './leases/session-lease.js';
import { SessionRegistry } from './session-registry.js';
import { type ConstrainedReply, constrainedReply } from './tools/constrained-reply.js';
import type { ReplyConstraint } from './tools/reply-format.js';
import { withInstructions } from './tools/tool-instructions.js';
import { TurnRenderer } from './turn-renderer.js';

/**
 * The chat sessions of one model, independent of any framework: `ChatSirLLM` (LangChain) and the AI
 * SDK provider are thin mappings over it. Each call carries the whole history; the session with its id
 * matches it against the messages it already holds (rewinding where they diverge: an edited or
 * regenerated message), renders and evaluates only the new ones, and generates the reply, free or
 * grammar-constrained (tools, structured output). Calls on one session run one after another; at most
 * `maxSessions` stay live, the least recently used idle one parked to the `sessionStore`.
 */
export class ChatSessions {
  /** The backend every session's cache lives in. */
  readonly backend: KVBackend;
  /** KV cells of each session's cache. */
  readonly capacity: number;
  /** The chat template the histories are rendered with: `chatTemplate`, else the backend's. */
  readonly template: ChatTemplate;
  readonly #registry: SessionRegistry;
  readonly #renderer: TurnRenderer;
  readonly #sessionOptions: () => MemorySessionOptions;
  /** Compiled constraints by schema text: compiling a grammar is not free. */
  readonly #constraints = new Map<string, Promise<SamplingConstraint>>();
  readonly #leases: SessionLeases | undefined;
  #leaseWaitMs = 0;
  readonly #leased: LeasedCalls = new LeasedCalls();
  readonly #hasStore: boolean;

  constructor(options: ChatSessionsOptions) {
    if (typeof options?.backend?.createSequence !== 'function') {
      throw new InvalidOptionError({
        option: 'backend',
        value: options?.backend,
        expected: 'a SirLLM KVBackend',
      });
    }
    const template = options.chatTemplate ?? options.backend.chatTemplate;
    if (!template) {
      throw new InvalidOptionError({
        option: 'chatTemplate',
        value: undefined,
        expected: `a chat template: backend "${options.backend.info.name}" has none, so pass one`,
      });
    }
    const chatRendering = options.chatRendering ?? 'incremental';
    if (chatRendering !== 'incremental' && chatRendering !== 'full') {
      throw new InvalidOptionError({
        option: 'chatRendering',
        value: options.chatRendering,
        expected: "'incremental' or 'full'",
      });
    }
    this.backend = options.backend;
    this.capacity = requireInteger('capacity', options.capacity, { minimum: 1 });
    this.template = template;
    const policyFactory = policyFactoryOf(options.policy);
    const { backend, capacity } = this;
    const { chunkSize, protectRecent } = options;
    this.#sessionOptions = () => ({ backend, capacity, policy: policyFactory(), chunkSize, protectRecent });
    this.#renderer = new TurnRenderer(template, chatRendering);
    this.#leases = options.leases;
    if (options.leases) {
      if (!options.sessionStore?.fences) {
        throw new InvalidOptionError({
          option: 'sessionStore',
          value: options.sessionStore,
          expected:
            'a session store that fences (sessionStore.fences), such as createRedisSessionStore from @sirllm/redis: leases hand sessions between processes through it',
        });
      }
      if (typeof options.backend.restoreSequence !== 'function') {
        throw new CapabilityUnsupportedError({
          capability: 'sessions shared between processes (leases), which need snapshots',
          backend: options.backend.info.name,
          hint: 'Use a backend that restores sequences (llama.cpp, transformers.js, the reference backend).',
        });
      }
      this.#leaseWaitMs = requireInteger('leaseWaitMs', options.leaseWaitMs ?? options.leases.leaseMs, {
        minimum: 0,
      });
    }
    this.#hasStore = options.sessionStore !== undefined;
    this.#registry = new SessionRegistry({
      maximum: requireInteger('maxSessions', options.maxSessions ?? 16, { minimum: 1 }),
      renderer: this.#renderer,
      create: this.#sessionOptions,
      ...(options.sessionStore ? { store: options.sessionStore } : {}),
      saveOnPark: options.leases === undefined,
    });
  }

  /** Whether the backend can constrain sampling to a JSON schema (tools, structured output). */
  get constrainsSampling(): boolean {
    return typeof this.backend.compileJsonSchema === 'function';
  }

  /** How many sessions are live (sessions are created on first use). */
  get sessionCount(): number {
    return this.#registry.size;
  }

  /**
   * Runs one call: matches `history` against the session, feeds what is new, generates the reply and
   * records it. A constrained reply (`format.constraint`) needs a backend that `constrainsSampling`,
   * else `CapabilityUnsupportedError`. On failure or abort the session is left as it was before the call.
   */
  async turn(request: ChatTurnRequest): Promise<ChatTurn> {
    const { sessionId, format, signal } = request;
    if (sessionId !== undefined && (typeof sessionId !== 'string' || sessionId === '')) {
      throw new InvalidOptionError({ option: 'sessionId', value: sessionId, expected: 'a non-empty string' });
    }
    const maxTokens = requireInteger('maxTokens', request.maxTokens, { minimum: 0 });
    signal?.throwIfAborted();
    const history = format ? withInstructions(request.history, format.instructions) : request.history;
    const constraint = format?.constraint ? await this.#constraintFor(format.constraint) : undefined;
    const { requestId } = request;
    if (requestId !== undefined && (typeof requestId !== 'string' || requestId === '')) {
      throw new InvalidOptionError({ option: 'requestId', value: requestId, expected: 'a non-empty string' });
    }
    const run = async (conversation: Conversation): Promise<ChatTurn> => {
      const recorded = requestId === undefined ? undefined : conversation.replayOf(requestId, history);
      if (recorded) {
        // Nothing is generated: the recorded reply's text is the only piece there is to stream.
        if (recorded.content !== '') request.onText?.(recorded.content);
        return { ...recorded, memory: { ...recorded.memory, replayed: true } };
      }
      const { prepared, result, reply } = await conversation.runTurn(
        history,
        {
          maxTokens,
          stop: [...(request.stop ?? [])],
          ...(request.sampling ? { sampling: request.sampling } : {}),
          signal,
          ...(constraint ? { constraint } : {}),
          onToken: ({ text }) => {
            if (text) request.onText?.(text);
          },
        },
        (generated): ConstrainedReply =>
          format?.constraint
            ? constrainedReply(format.constraint, generated, maxTokens)
            : { content: generated.text, toolCalls: [], recorded: generated.text },
      );
      const { session } = conversation;
      const statistics = session.statistics;
      const turn: ChatTurn = {
        content: reply.content,
        toolCalls: reply.toolCalls,
        finishReason: result.finishReason,
        usage: {
          inputTokens: prepared.cacheRead + prepared.tokens.length,
          cacheReadTokens: prepared.cacheRead,
          evaluatedTokens: prepared.tokens.length,
          outputTokens: result.tokens.length,
        },
        memory: {
          sessionId,
          rebuilt: prepared.rebuilt,
          resident: statistics.resident,
          evicted: statistics.evicted,
          capacity: statistics.capacity,
          turns: statistics.turns,
          policy: session.policy.name,
        },
      };
      if (requestId !== undefined) conversation.remember(requestId, turn);
      return turn;
    };
    if (sessionId !== undefined && this.#leases) {
      return this.#leased.run({
        sessionId,
        leases: this.#leases,
        waitMs: this.#leaseWaitMs,
        signal,
        registry: this.#registry,
        turn: run,
      });
    }
    if (sessionId !== undefined) return this.#registry.run(sessionId, run);
    const session = await MemorySession.create(this.#sessionOptions());
    try {
      return await run(new Conversation(session, this.#renderer));
    } finally {
      await session.dispose();
    }
  }

  /**
   * Saves a session to the `sessionStore` now, after its running calls, and keeps it live: for a page or
   * process that may end without warning (a closed browser tab), so the next `ChatSessions` over the same
   * store continues the conversation. Throws `InvalidOptionError` without a `sessionStore` or with
   * `leases` (leased turns are saved already), and `CapabilityUnsupportedError` when the backend cannot
   * snapshot.
   */
  async save(sessionId: string): Promise<void> {
    this.#requireSessionId(sessionId);
    if (!this.#hasStore || this.#leases) {
      throw new InvalidOptionError({
        option: 'sessionStore',
        value: this.#leases ? 'with leases' : undefined,
        expected: this.#leases
          ? 'no explicit save: with leases every turn is saved when it ends'
          : 'a session store (ChatSessionsOptions.sessionStore) to save into',
      });
    }
    await this.#registry.run(sessionId, (conversation) => this.#registry.saveNow(sessionId, conversation));
  }

  /**
   * The messages a session holds — live, or as saved in the `sessionStore` — so a restarted program or
   * reloaded page can show the conversation it continues. Empty for a session never used. Like a turn, it
   * opens the session: a saved one is restored into a live cache (counting toward `maxSessions`), ready
   * for the next turn; a stored value that cannot be restored rejects (`forget` it to start afresh).
   */
  async history(sessionId: string): Promise<readonly ChatMessage[]> {
    this.#requireSessionId(sessionId);
    return this.#registry.run(sessionId, async (conversation) => [...conversation.record.messages]);
  }

  #requireSessionId(sessionId: string): void {
    if (typeof sessionId !== 'string' || sessionId === '') {
      throw new InvalidOptionError({ option: 'sessionId', value: sessionId, expected: 'a non-empty string' });
    }
  }

  /**
   * Frees one session's cache, or every session's, after their running calls. With a `sessionStore`,
   * each session is saved first and the next call with its id continues it; without one, it starts
   * afresh.
   */
  async dispose(sessionId?: string): Promise<void> {
    await this.#registry.dispose(sessionId);
  }

  /** Ends a session for good: frees its cache without saving and deletes it from the `sessionStore`. */
  async forget(sessionId: string): Promise<void> {
    await this.#registry.forget(sessionId);
  }

  /** The compiled constraint of a reply format, compiled once per schema. */
  async #constraintFor(constraint: ReplyConstraint): Promise<SamplingConstraint> {
    const { backend } = this;
    if (typeof backend.compileJsonSchema !== 'function') {
      throw new CapabilityUnsupportedError({
        capability: `${constraint.kind === 'tools' ? 'tool calling' : 'structured output'}, which needs grammar-constrained JSON (KVBackend.compileJsonSchema)`,
        backend: backend.info.name,
        hint: 'Use the llama.cpp backend (createLlamaCppBackend from @sirllm/llamacpp), which compiles JSON schemas to llama.cpp grammars.',
      });
    }
    const key = JSON.stringify(constraint.schema);
    let compiled = this.#constraints.get(key);
    if (!compiled) {
      compiled = backend.compileJsonSchema(constraint.schema);
      this.#constraints.set(key, compiled);
      compiled.catch(() => this.#constraints.delete(key));
    }
    return compiled;
  }
}

function policyFactoryOf(policy: ChatSessionsOptions['policy']): () => RetentionPolicy {
  if (policy === undefined) return () => sirllm();
  if (typeof policy === 'function') return policy;
  return () => policy;
}

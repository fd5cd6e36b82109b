import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BindToolsInput,
  type LangSmithParams,
} from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import {
  type ChatTemplate,
  InvalidOptionError,
  type KVBackend,
  type RetentionPolicy,
  requireInteger,
  sirllm,
} from '@sirllm/core';
import type { ChatSirLLMCallOptions, ChatSirLLMFields } from './chat-sirllm-options.js';
import { ChunkQueue } from './chunk-queue.js';
import { SessionRegistry } from './session-registry.js';
import { toChatMessages } from './to-chat-messages.js';

/**
 * A LangChain chat model whose conversations live in bounded SirLLM KV caches. Every call carries the
 * whole history (as LangChain callers do); each session matches it against what it already holds and
 * evaluates only the new messages, so turns stay fast however long the chat grows, and the cache stays
 * within `capacity`, keeping the tokens the model found most surprising.
 */
export class ChatSirLLM extends BaseChatModel<ChatSirLLMCallOptions, AIMessageChunk> {
  static override lc_name(): string {
    return 'ChatSirLLM';
  }

  override lc_namespace = ['sirllm', 'chat_models'];

  readonly backend: KVBackend;
  readonly capacity: number;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly topK: number | undefined;
  readonly topP: number | undefined;
  readonly seed: number | undefined;
  readonly stop: string[];
  readonly model: string;
  readonly threadIdAsSession: boolean;
  readonly #sessions: SessionRegistry;

  constructor(fields: ChatSirLLMFields) {
    super(fields);
    if (typeof fields?.backend?.createSequence !== 'function') {
      throw new InvalidOptionError({
        option: 'backend',
        value: fields?.backend,
        expected: 'a SirLLM KVBackend',
      });
    }
    const template: ChatTemplate | undefined = fields.chatTemplate ?? fields.backend.chatTemplate;
    if (!template) {
      throw new InvalidOptionError({
        option: 'chatTemplate',
        value: undefined,
        expected: `a chat template: backend "${fields.backend.info.name}" has none, so pass one`,
      });
    }
    this.backend = fields.backend;
    this.capacity = requireInteger('capacity', fields.capacity, { minimum: 1 });
    this.maxTokens = requireInteger('maxTokens', fields.maxTokens ?? 256, { minimum: 0 });
    this.temperature = fields.temperature ?? 0;
    this.topK = fields.topK;
    this.topP = fields.topP;
    this.seed = fields.seed;
    this.stop = fields.stop ?? [];
    this.model = fields.model ?? fields.backend.info.name;
    this.threadIdAsSession = fields.threadIdAsSession ?? false;
    const policyFactory = makePolicyFactory(fields.policy);
    const { backend, capacity } = this;
    const { chunkSize, protectRecent } = fields;
    this.#sessions = new SessionRegistry({
      maximum: requireInteger('maxSessions', fields.maxSessions ?? 16, { minimum: 1 }),
      template,
      create: () => ({ backend, capacity, policy: policyFactory(), chunkSize, protectRecent }),
      ...(fields.sessionStore ? { store: fields.sessionStore } : {}),
    });
  }

  _llmType(): string {
    return 'sirllm';
  }

  override getLsParams(options: this['ParsedCallOptions']): LangSmithParams {
    return {
      ls_provider: 'sirllm',
      ls_model_name: this.model,
      ls_model_type: 'chat',
      ls_temperature: options.temperature ?? this.temperature,
      ls_max_tokens: options.maxTokens ?? this.maxTokens,
      ls_stop: [...this.stop, ...(options.stop ?? [])],
    };
  }

  /**
   * Tool calling needs grammar-constrained JSON decoding, which no SirLLM backend offers yet. With no
   * tools (as `createAgent` does for tool-less agents) this returns the model unchanged.
   */
  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<ChatSirLLMCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, ChatSirLLMCallOptions> {
    if (tools.length > 0) {
      throw new InvalidOptionError({
        option: 'tools',
        value: tools,
        expected: `no tools: backend "${this.backend.info.name}" has no grammar-constrained decoding for tool calls yet`,
      });
    }
    return this.withConfig(kwargs ?? {});
  }

  /** Ids of the live sessions' count (sessions are created on first use). */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /**
   * Frees one session's cache, or every session's, after their running calls. With a `sessionStore`,
   * each session is saved first and the next call with its id continues it; without one, it starts
   * afresh. The model stays usable.
   */
  async dispose(sessionId?: string): Promise<void> {
    await this.#sessions.dispose(sessionId);
  }

  /** Ends a session for good: frees its cache without saving and deletes it from the `sessionStore`. */
  async forget(sessionId: string): Promise<void> {
    await this.#sessions.forget(sessionId);
  }

  async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    let final: ChatGenerationChunk | undefined;
    for await (const chunk of this._streamResponseChunks(messages, options, runManager)) {
      final = final ? final.concat(chunk) : chunk;
    }
    const message = final?.message ?? new AIMessageChunk({ content: '' });
    return { generations: [{ text: final?.text ?? '', message }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const history = toChatMessages(messages);
    const sessionId = this.#sessionIdOf(options);
    const signal = options.signal;
    signal?.throwIfAborted();
    const queue = new ChunkQueue<ChatGenerationChunk>();
    const textChunk = (
      text: string,
      fields: Partial<ConstructorParameters<typeof AIMessageChunk>[0] & object> = {},
    ) => new ChatGenerationChunk({ text, message: new AIMessageChunk({ content: text, ...fields }) });
    this.#sessions
      .run(sessionId, async (conversation) => {
        const prepared = await conversation.prepare(history);
        const { session } = conversation;
        await session.beginTurn({ incoming: prepared.tokens.length });
        await session.ingest(prepared.tokens, { role: 'user', signal });
        conversation.commitHistory(history, history.length - prepared.boundaries.length, prepared.boundaries);
        const result = await session.generate({
          maxTokens: options.maxTokens ?? this.maxTokens,
          stop: [...this.stop, ...(options.stop ?? [])],
          sampling: {
            temperature: options.temperature ?? this.temperature,
            ...(this.topK === undefined ? {} : { topK: this.topK }),
            ...(this.topP === undefined ? {} : { topP: this.topP }),
            ...((options.seed ?? this.seed) === undefined ? {} : { seed: options.seed ?? this.seed }),
          },
          signal,
          onToken: ({ text }) => {
            if (text) queue.push(textChunk(text));
          },
        });
        await conversation.commitReply(history, result.text);
        const statistics = session.statistics;
        const inputTokens = prepared.cacheRead + prepared.tokens.length;
        queue.push(
          textChunk('', {
            usage_metadata: {
              input_tokens: inputTokens,
              output_tokens: result.tokens.length,
              total_tokens: inputTokens + result.tokens.length,
              input_token_details: { cache_read: prepared.cacheRead },
            },
            response_metadata: {
              model: this.model,
              model_provider: 'sirllm',
              finish_reason: result.finishReason,
              sirllm: {
                session_id: sessionId,
                rebuilt: prepared.rebuilt,
                evaluated_tokens: prepared.tokens.length,
                resident: statistics.resident,
                evicted: statistics.evicted,
                capacity: statistics.capacity,
                turns: statistics.turns,
                policy: session.policy.name,
              },
            },
          }),
        );
      })
      .then(
        () => queue.close(),
        (error: unknown) => queue.fail(error),
      );
    for await (const chunk of queue) {
      yield chunk;
      if (chunk.text) {
        await runManager?.handleLLMNewToken(chunk.text, undefined, undefined, undefined, undefined, {
          chunk,
        });
      }
    }
  }

  #sessionIdOf(options: this['ParsedCallOptions']): string {
    if (options.sessionId !== undefined) {
      if (typeof options.sessionId !== 'string' || options.sessionId === '') {
        throw new InvalidOptionError({
          option: 'sessionId',
          value: options.sessionId,
          expected: 'a non-empty string',
        });
      }
      return options.sessionId;
    }
    if (this.threadIdAsSession) {
      const threadId = AsyncLocalStorageProviderSingleton.getRunnableConfig()?.configurable?.thread_id;
      if (typeof threadId === 'string' && threadId !== '') return threadId;
    }
    return 'default';
  }
}

function makePolicyFactory(policy: ChatSirLLMFields['policy']): () => RetentionPolicy {
  if (policy === undefined) return () => sirllm();
  if (typeof policy === 'function') return policy;
  return () => policy;
}

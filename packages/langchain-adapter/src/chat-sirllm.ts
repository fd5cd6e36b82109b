import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type {
  BaseLanguageModelInput,
  StructuredOutputMethodOptions,
} from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BindToolsInput,
  type LangSmithParams,
} from '@langchain/core/language_models/chat_models';
import {
  assembleStructuredOutputPipeline,
  createContentParser,
} from '@langchain/core/language_models/structured_output';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable, RunnableConfig } from '@langchain/core/runnables';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import { toJsonSchema } from '@langchain/core/utils/json_schema';
import { isSerializableSchema, type SerializableSchema } from '@langchain/core/utils/standard_schema';
import { isInteropZodSchema, type ZodV3Like, type ZodV4Like } from '@langchain/core/utils/types';
import { ChatSessions, ChunkQueue } from '@sirllm/chat';
import {
  CapabilityUnsupportedError,
  InvalidOptionError,
  type JsonSchema,
  type KVBackend,
  requireInteger,
} from '@sirllm/core';
import type { ChatSirLLMCallOptions, ChatSirLLMFields } from './chat-sirllm-options.js';
import { toChatMessages } from './to-chat-messages.js';
import { replyFormatOf } from './tools/reply-format.js';
import { resolveToolChoice } from './tools/tool-choice.js';
import { toToolDefinitions } from './tools/tool-definition.js';

/** Where a call's `configurable` travels inside its parsed call options (see `_separateRunnableConfigFromCallOptionsCompat`). */
const callConfigurable = Symbol('sirllm.callConfigurable');

/** The record type LangChain's `withStructuredOutput` signatures use. */
// biome-ignore lint/suspicious/noExplicitAny: matches the overridden LangChain signatures exactly
type LooseRecord = Record<string, any>;

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

  /** LangChain's serialisation namespace of this class. */
  override lc_namespace = ['sirllm', 'chat_models'];

  /** The backend the sessions' caches live in. */
  readonly backend: KVBackend;
  /** KV cells of each session's cache. */
  readonly capacity: number;
  /** Most tokens per reply, unless a call says otherwise. */
  readonly maxTokens: number;
  /** Sampling temperature, unless a call says otherwise (0: greedy). */
  readonly temperature: number;
  /** Top-k of the sampler, when set. */
  readonly topK: number | undefined;
  /** Top-p of the sampler, when set. */
  readonly topP: number | undefined;
  /** Seed of the sampler, unless a call says otherwise. */
  readonly seed: number | undefined;
  /** Stop sequences of every call (a call's own are added). */
  readonly stop: string[];
  /** The model name shown in `response_metadata.model` and LangSmith. */
  readonly model: string;
  /** Whether the LangGraph `thread_id` is the session id of calls that give none. */
  readonly threadIdAsSession: boolean;
  readonly #chat: ChatSessions;

  constructor(fields: ChatSirLLMFields) {
    super(fields);
    this.#chat = new ChatSessions(fields);
    this.backend = fields.backend;
    this.capacity = this.#chat.capacity;
    this.maxTokens = requireInteger('maxTokens', fields.maxTokens ?? 256, { minimum: 0 });
    this.temperature = fields.temperature ?? 0;
    this.topK = fields.topK;
    this.topP = fields.topP;
    this.seed = fields.seed;
    this.stop = fields.stop ?? [];
    this.model = fields.model ?? fields.backend.info.name;
    this.threadIdAsSession = fields.threadIdAsSession ?? false;
  }

  /** LangChain's name for this kind of model: `sirllm`. */
  _llmType(): string {
    return 'sirllm';
  }

  /** The parameters LangSmith records for a call: provider, model name, temperature, token limit, stops. */
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
   * Binds tools: each reply is then grammar-constrained JSON, either a call
   * `{"name": <tool>, "arguments": <its parameters>}` or, with `tool_choice: 'auto'` (the default), a
   * direct answer `{"response": <text>}`; `'any'`/`'required'` force a call, a tool's name forces that
   * tool, `'none'` gives free text. The reply comes back as an `AIMessageChunk` with `tool_calls` (ids
   * generated) or with the answer as its content. Needs a backend with `compileJsonSchema` (llama.cpp);
   * others throw `CapabilityUnsupportedError`. With no tools (as `createAgent` binds for tool-less
   * agents) this returns the model unchanged.
   */
  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<ChatSirLLMCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, ChatSirLLMCallOptions> {
    if (tools.length === 0) return this.withConfig(kwargs ?? {});
    this.#requireConstrainedSampling('tool calling (bindTools)');
    resolveToolChoice(kwargs?.tool_choice, toToolDefinitions(tools)); // bad choices fail here, not later
    return this.withConfig({ ...kwargs, tools });
  }

  /**
   * A runnable that returns the reply parsed as a value of `outputSchema` (a zod schema, a standard
   * schema or a JSON schema): the reply is generated under a grammar compiled from the schema, so it
   * is valid JSON of that shape, then parsed (and validated by zod where given) by LangChain's own
   * content parser. `includeRaw: true` returns `{ raw, parsed }`. Needs a backend with
   * `compileJsonSchema` (llama.cpp); others throw `CapabilityUnsupportedError`.
   */
  override withStructuredOutput<RunOutput extends LooseRecord = LooseRecord>(
    outputSchema: SerializableSchema<RunOutput>,
    config?: StructuredOutputMethodOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<RunOutput extends LooseRecord = LooseRecord>(
    outputSchema: SerializableSchema<RunOutput>,
    config?: StructuredOutputMethodOptions<true>,
  ): Runnable<
    BaseLanguageModelInput,
    {
      /** The model's reply message. */
      raw: BaseMessage;
      /** The reply parsed as a value of the schema. */
      parsed: RunOutput;
    }
  >;
  override withStructuredOutput<RunOutput extends LooseRecord = LooseRecord>(
    outputSchema: ZodV4Like<RunOutput> | LooseRecord,
    config?: StructuredOutputMethodOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<RunOutput extends LooseRecord = LooseRecord>(
    outputSchema: ZodV4Like<RunOutput> | LooseRecord,
    config?: StructuredOutputMethodOptions<true>,
  ): Runnable<
    BaseLanguageModelInput,
    {
      /** The model's reply message. */
      raw: BaseMessage;
      /** The reply parsed as a value of the schema. */
      parsed: RunOutput;
    }
  >;
  override withStructuredOutput<RunOutput extends LooseRecord = LooseRecord>(
    outputSchema: ZodV3Like<RunOutput> | LooseRecord,
    config?: StructuredOutputMethodOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<RunOutput extends LooseRecord = LooseRecord>(
    outputSchema: ZodV3Like<RunOutput> | LooseRecord,
    config?: StructuredOutputMethodOptions<true>,
  ): Runnable<
    BaseLanguageModelInput,
    {
      /** The model's reply message. */
      raw: BaseMessage;
      /** The reply parsed as a value of the schema. */
      parsed: RunOutput;
    }
  >;
  override withStructuredOutput<RunOutput extends LooseRecord = LooseRecord>(
    outputSchema: SerializableSchema<RunOutput> | ZodV4Like<RunOutput> | ZodV3Like<RunOutput> | LooseRecord,
    config?: StructuredOutputMethodOptions<boolean>,
  ):
    | Runnable<BaseLanguageModelInput, RunOutput>
    | Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }> {
    this.#requireConstrainedSampling('structured output (withStructuredOutput)');
    let schema: JsonSchema;
    let name = config?.name;
    if (isInteropZodSchema(outputSchema) || isSerializableSchema(outputSchema)) {
      schema = toJsonSchema(outputSchema) as JsonSchema;
    } else if (isFunctionDefinition(outputSchema)) {
      schema = outputSchema.parameters;
      name ??= outputSchema.name;
    } else {
      schema = outputSchema as JsonSchema;
    }
    const llm = this.withConfig({ responseFormat: { schema, ...(name ? { name } : {}) } });
    return assembleStructuredOutputPipeline<RunOutput>(
      llm,
      createContentParser<RunOutput>(outputSchema as LooseRecord),
      config?.includeRaw,
      config?.includeRaw ? 'StructuredOutputRunnable' : 'StructuredOutput',
    );
  }

  /** Ids of the live sessions' count (sessions are created on first use). */
  get sessionCount(): number {
    return this.#chat.sessionCount;
  }

  /**
   * Frees one session's cache, or every session's, after their running calls. With a `sessionStore`,
   * each session is saved first and the next call with its id continues it; without one, it starts
   * afresh. The model stays usable.
   */
  async dispose(sessionId?: string): Promise<void> {
    await this.#chat.dispose(sessionId);
  }

  /** Ends a session for good: frees its cache without saving and deletes it from the `sessionStore`. */
  async forget(sessionId: string): Promise<void> {
    await this.#chat.forget(sessionId);
  }

  /** Runs one call to its end (LangChain's non-streaming path) by collecting `_streamResponseChunks`. */
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

  /**
   * Runs one call as a turn of its session: free text streams as it is generated; a constrained reply (tool
   * calls, structured output) and the usage come in the last chunk.
   */
  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const format = replyFormatOf(options);
    const sessionId = this.#sessionIdOf(options);
    const queue = new ChunkQueue<ChatGenerationChunk>();
    const textChunk = (
      text: string,
      fields: Partial<ConstructorParameters<typeof AIMessageChunk>[0] & object> = {},
    ) => new ChatGenerationChunk({ text, message: new AIMessageChunk({ content: text, ...fields }) });
    const seed = options.seed ?? this.seed;
    this.#chat
      .turn({
        sessionId,
        ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
        history: toChatMessages(messages),
        ...(format ? { format } : {}),
        maxTokens: options.maxTokens ?? this.maxTokens,
        stop: [...this.stop, ...(options.stop ?? [])],
        sampling: {
          temperature: options.temperature ?? this.temperature,
          ...(this.topK === undefined ? {} : { topK: this.topK }),
          ...(this.topP === undefined ? {} : { topP: this.topP }),
          ...(seed === undefined ? {} : { seed }),
        },
        ...(options.signal ? { signal: options.signal } : {}),
        // Free text streams token by token; a constrained reply arrives whole in the last chunk.
        ...(format?.constraint
          ? {}
          : {
              onText: (text: string) => queue.push(textChunk(text)),
            }),
      })
      .then(
        (turn) => {
          const { usage, memory } = turn;
          queue.push(
            textChunk(format?.constraint ? turn.content : '', {
              ...(turn.toolCalls.length > 0
                ? {
                    tool_call_chunks: turn.toolCalls.map((call, index) => ({
                      type: 'tool_call_chunk' as const,
                      name: call.name,
                      args: JSON.stringify(call.args),
                      id: call.id,
                      index,
                    })),
                  }
                : {}),
              usage_metadata: {
                input_tokens: usage.inputTokens,
                output_tokens: usage.outputTokens,
                total_tokens: usage.inputTokens + usage.outputTokens,
                input_token_details: { cache_read: usage.cacheReadTokens },
              },
              response_metadata: {
                model: this.model,
                model_provider: 'sirllm',
                finish_reason: turn.finishReason,
                sirllm: {
                  session_id: sessionId,
                  rebuilt: memory.rebuilt,
                  evaluated_tokens: usage.evaluatedTokens,
                  resident: memory.resident,
                  evicted: memory.evicted,
                  capacity: memory.capacity,
                  turns: memory.turns,
                  policy: memory.policy,
                  replayed: memory.replayed === true,
                },
              },
            }),
          );
          queue.close();
        },
        (error: unknown) => queue.fail(error),
      );
    for await (const chunk of queue) {
      yield chunk;
      // Every chunk, also one without text: a tool call or the usage arrives in a chunk whose text is ''.
      await runManager?.handleLLMNewToken(chunk.text, undefined, undefined, undefined, undefined, { chunk });
    }
  }

  /** Throws `CapabilityUnsupportedError` when the backend cannot constrain sampling to a JSON schema. */
  #requireConstrainedSampling(feature: string): void {
    if (this.#chat.constrainsSampling) return;
    throw new CapabilityUnsupportedError({
      capability: `${feature}, which needs grammar-constrained JSON (KVBackend.compileJsonSchema)`,
      backend: this.backend.info.name,
      hint:
        'Use the llama.cpp backend (createLlamaCppBackend from @sirllm/llamacpp), which compiles JSON ' +
        'schemas to llama.cpp grammars; or call ChatSirLLM without tools and parse its text reply yourself.',
    });
  }

  /**
   * LangChain splits a call's `configurable` off the call options before `_generate` sees them; keep a
   * reference to it under a private key, so `#sessionIdOf` can read `sessionId` from it.
   */
  protected override _separateRunnableConfigFromCallOptionsCompat(
    options?: Partial<ChatSirLLMCallOptions>,
  ): [RunnableConfig, this['ParsedCallOptions']] {
    const [runnableConfig, callOptions] = super._separateRunnableConfigFromCallOptionsCompat(options);
    if (runnableConfig.configurable !== undefined) {
      Object.assign(callOptions, { [callConfigurable]: runnableConfig.configurable });
    }
    return [runnableConfig, callOptions];
  }

  /**
   * The session a call continues: the call option `sessionId`, else `configurable.sessionId` of the
   * runnable config (what `RunnableWithMessageHistory` and a chain's `invoke(input, { configurable })`
   * carry), else the LangGraph `thread_id` when `threadIdAsSession`, else `"default"`.
   */
  #sessionIdOf(options: this['ParsedCallOptions']): string {
    const configurable: Record<string, unknown> = {
      ...AsyncLocalStorageProviderSingleton.getRunnableConfig()?.configurable,
      ...(options as { [callConfigurable]?: Record<string, unknown> })[callConfigurable],
    };
    const explicit: [string, unknown] | undefined =
      options.sessionId !== undefined
        ? ['sessionId', options.sessionId]
        : configurable.sessionId !== undefined
          ? ['configurable.sessionId', configurable.sessionId]
          : undefined;
    if (explicit) {
      const [option, value] = explicit;
      if (typeof value !== 'string' || value === '') {
        throw new InvalidOptionError({ option, value, expected: 'a non-empty string' });
      }
      return value;
    }
    if (this.threadIdAsSession) {
      const threadId = configurable.thread_id;
      if (typeof threadId === 'string' && threadId !== '') return threadId;
    }
    return 'default';
  }
}

/** An OpenAI-style function definition `{ name, parameters }` passed as a structured-output schema. */
function isFunctionDefinition(value: unknown): value is { name: string; parameters: JsonSchema } {
  const candidate = value as { name?: unknown; parameters?: unknown };
  return (
    typeof candidate?.name === 'string' &&
    typeof candidate.parameters === 'object' &&
    candidate.parameters !== null &&
    !('type' in (value as object))
  );
}

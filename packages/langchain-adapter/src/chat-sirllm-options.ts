import type {
  BaseChatModelCallOptions,
  BaseChatModelParams,
  BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import type { ChatTemplate, KVBackend, RetentionPolicy } from '@sirllm/core';
import type { SessionStore } from './session-store.js';
import type { ResponseFormat } from './tools/reply-format.js';
import type { ChatRendering } from './turn-renderer.js';

/** Constructor fields of {@link ChatSirLLM}. */
export interface ChatSirLLMFields extends BaseChatModelParams {
  /** Any SirLLM backend (llama.cpp, transformers.js, the testkit reference backend). */
  readonly backend: KVBackend;
  /** KV cells per session: the most tokens one conversation keeps resident. */
  readonly capacity: number;
  /**
   * The retention policy of each session, or a factory giving each session its own (needed for
   * stateful policies such as `random`). Default `sirllm()`.
   */
  readonly policy?: RetentionPolicy | (() => RetentionPolicy);
  /** Default: the backend's own `chatTemplate`. */
  readonly chatTemplate?: ChatTemplate;
  /**
   * `'incremental'` (default): each call renders only its new messages, after a short window of the
   * history, checked once per history shape against rendering the whole history. `'full'`: render the
   * whole history on every call (O(history) per call), for a template that renders a message
   * differently by its absolute index alone. See `TurnRenderer`.
   */
  readonly chatRendering?: ChatRendering;
  /** Most tokens per reply (default 256). */
  readonly maxTokens?: number;
  /** Sampling temperature (default 0: greedy). */
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
  readonly seed?: number;
  /** Stop sequences applied to every call. */
  readonly stop?: string[];
  /**
   * Live sessions kept at once (default 16). Beyond it, the least recently used idle session is saved
   * to `sessionStore` (when given, and when the backend can snapshot) and disposed.
   */
  readonly maxSessions?: number;
  /** Where evicted and disposed sessions are saved, e.g. `createFileSessionStore(directory)`. */
  readonly sessionStore?: SessionStore;
  /**
   * Use the LangGraph `thread_id` as the session id when a call gives no `sessionId` (default false:
   * side calls inside a graph, such as a summarizer, inherit the thread id too).
   */
  readonly threadIdAsSession?: boolean;
  /** Engine settings per session (see `MemorySessionOptions`). */
  readonly chunkSize?: number;
  readonly protectRecent?: number;
  /** Shown as `response_metadata.model` and in LangSmith (default: the backend's model name). */
  readonly model?: string;
}

/** Call options of {@link ChatSirLLM}: pass them to `invoke`, `stream`, `withConfig`. */
export interface ChatSirLLMCallOptions extends BaseChatModelCallOptions {
  /**
   * Which conversation this call continues. Without it, `configurable.sessionId` of the call's config
   * (the key `RunnableWithMessageHistory` uses, and what crosses a chain:
   * `chain.invoke(input, { configurable: { sessionId } })`), else `"default"`.
   */
  readonly sessionId?: string;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly seed?: number;
  /**
   * Tools the reply may call (set by `bindTools`; `tool_choice` picks `auto`, `any`/`required`, `none`
   * or one tool). The reply is then grammar-constrained JSON: a backend with `compileJsonSchema` is needed.
   */
  readonly tools?: BindToolsInput[];
  /** Set by `withStructuredOutput`: the reply is one JSON value of `schema` (grammar-constrained). */
  readonly responseFormat?: ResponseFormat;
}

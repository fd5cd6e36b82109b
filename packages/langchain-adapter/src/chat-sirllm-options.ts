import type {
  BaseChatModelCallOptions,
  BaseChatModelParams,
  BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import type { ChatSessionsOptions } from '@sirllm/chat';
import type { ResponseFormat } from './tools/reply-format.js';

/**
 * Constructor fields of {@link ChatSirLLM}: the chat-session options of `@sirllm/chat` (backend,
 * capacity, policy, chat template and rendering, `maxSessions`, `sessionStore`, engine settings) and
 * LangChain's chat-model parameters, plus the defaults of each call.
 */
export interface ChatSirLLMFields extends BaseChatModelParams, ChatSessionsOptions {
  /** Most tokens per reply (default 256). */
  readonly maxTokens?: number;
  /** Sampling temperature (default 0: greedy). */
  readonly temperature?: number;
  /** Sample only among the `topK` most probable tokens (default 0: no limit). */
  readonly topK?: number;
  /** Sample only among the most probable tokens whose probabilities sum to `topP` (default 1: no limit). */
  readonly topP?: number;
  /** Seed of the sampler, for repeatable non-greedy replies (default 0). */
  readonly seed?: number;
  /** Stop sequences applied to every call. */
  readonly stop?: string[];
  /**
   * Use the LangGraph `thread_id` as the session id when a call gives no `sessionId` (default false:
   * side calls inside a graph, such as a summarizer, inherit the thread id too).
   */
  readonly threadIdAsSession?: boolean;
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
  /**
   * Identifies the call across retries (the same id on every attempt): a retry whose turn the session
   * already recorded gets the recorded reply (`response_metadata.sirllm.replayed`), not a second turn.
   */
  readonly requestId?: string;
  /** Most tokens of this call's reply (default: the model's `maxTokens`). */
  readonly maxTokens?: number;
  /** Sampling temperature of this call (default: the model's `temperature`). */
  readonly temperature?: number;
  /** Seed of this call's sampler (default: the model's `seed`). */
  readonly seed?: number;
  /**
   * Tools the reply may call (set by `bindTools`; `tool_choice` picks `auto`, `any`/`required`, `none`
   * or one tool). The reply is then grammar-constrained JSON: a backend with `compileJsonSchema` is needed.
   */
  readonly tools?: BindToolsInput[];
  /** Set by `withStructuredOutput`: the reply is one JSON value of `schema` (grammar-constrained). */
  readonly responseFormat?: ResponseFormat;
}

import type { ChatMessage, FinishReason, SamplingOptions } from '@sirllm/core';
import type { ToolCall } from './tools/constrained-reply.js';
import type { ReplyFormat } from './tools/reply-format.js';

/** One chat call, as every framework adapter hands it to `ChatSessions.turn`. */
export interface ChatTurnRequest {
  /**
   * The conversation this call continues. Without one, the call runs on a fresh session that is
   * disposed when it ends: nothing is shared with any other call.
   */
  readonly sessionId?: string;
  /** The whole history, as the framework sends it on every call; only what is new is evaluated. */
  readonly history: readonly ChatMessage[];
  /** Tools or structured output (grammar-constrained); absent for a free-text reply. */
  readonly format?: ReplyFormat;
  /** Most tokens of the reply. */
  readonly maxTokens: number;
  /** Stop sequences: the reply ends before the first one it contains. */
  readonly stop?: readonly string[];
  /** Temperature, top-k, top-p, min-p and seed of the reply (default greedy). */
  readonly sampling?: SamplingOptions;
  /**
   * Identifies this call across retries (the same id on every attempt). When a retry finds its turn
   * already recorded — the save reached the store, the answer never reached the caller — the recorded
   * reply is returned (`memory.replayed`) instead of a second turn. Calls without one are run as given.
   */
  readonly requestId?: string;
  /** Cancels the call; the session is left as it was before it (see `Conversation.runTurn`). */
  readonly signal?: AbortSignal;
  /**
   * Each piece of the reply's text as it is generated (complete UTF-8 characters, held back while a
   * stop sequence may still match). A constrained reply's pieces are its raw JSON. A replayed call
   * (`requestId`) gets its recorded reply's text as one piece.
   */
  readonly onText?: (text: string) => void;
}

/** Token counts of one call. */
export interface ChatTurnUsage {
  /** Tokens of the rendered prompt: `cacheReadTokens + evaluatedTokens`. */
  readonly inputTokens: number;
  /** Tokens of the history already in the session, not evaluated again. */
  readonly cacheReadTokens: number;
  /** Tokens evaluated by this call: the new messages and the opening of the reply. */
  readonly evaluatedTokens: number;
  /** Tokens generated. */
  readonly outputTokens: number;
}

/** The state of the session after a call. */
export interface ChatTurnMemory {
  /** Undefined for a call without a session id (its session is gone). */
  readonly sessionId: string | undefined;
  /** True when the history diverged from what the session held (an edited or regenerated message). */
  readonly rebuilt: boolean;
  /** Tokens resident in the session's cache. */
  readonly resident: number;
  /** Tokens the session has evicted so far. */
  readonly evicted: number;
  /** KV cells of the session's cache. */
  readonly capacity: number;
  /** Turns the session has begun. */
  readonly turns: number;
  /** The retention policy's name. */
  readonly policy: string;
  /** True when this is the recorded answer of an earlier attempt of the same `requestId` (nothing ran). */
  readonly replayed?: boolean;
}

/** What one call produced. */
export interface ChatTurn {
  /** The reply's text: free text, a direct answer, the structured JSON, or '' for a tool call. */
  readonly content: string;
  /** The tool calls of the reply (empty for text or structured output). */
  readonly toolCalls: readonly ToolCall[];
  /** Why generation ended. */
  readonly finishReason: FinishReason;
  /** Token counts of the call. */
  readonly usage: ChatTurnUsage;
  /** The state of the session after the call. */
  readonly memory: ChatTurnMemory;
}

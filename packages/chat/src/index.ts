export { ChatSessions } from './chat-sessions.js';
export type { ChatSessionsOptions } from './chat-sessions-options.js';
export type { ChatTurn, ChatTurnMemory, ChatTurnRequest, ChatTurnUsage } from './chat-turn.js';
export { ChunkQueue } from './chunk-queue.js';
export { LeaseLostError } from './errors/lease-lost-error.js';
export { LeaseUnavailableError } from './errors/lease-unavailable-error.js';
export { RetryableSessionError } from './errors/retryable-error.js';
export { SessionStoreUnavailableError } from './errors/session-store-unavailable-error.js';
export { StaleLeaseError } from './errors/stale-lease-error.js';
export { createMemorySessionLeases } from './leases/memory-session-leases.js';
export type { SessionLease, SessionLeases } from './leases/session-lease.js';
export { waitForLease } from './leases/wait-for-lease.js';
export { createMemorySessionStore, type SessionSaveOptions, type SessionStore } from './session-store.js';
export { type ConstrainedReply, constrainedReply, type ToolCall } from './tools/constrained-reply.js';
export {
  type ReplyConstraint,
  type ReplyFormat,
  structuredReplyFormat,
  toolReplyFormat,
} from './tools/reply-format.js';
export { type ToolCallRecord, toolCallText } from './tools/tool-call-text.js';
export type { ResolvedToolChoice } from './tools/tool-choice.js';
export { requireDistinctToolNames, type ToolDefinition } from './tools/tool-definition.js';
export type { ChatRendering } from './turn-renderer.js';

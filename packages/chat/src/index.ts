export { ChatSessions } from './chat-sessions.js';
export type { ChatSessionsOptions } from './chat-sessions-options.js';
export type { ChatTurn, ChatTurnMemory, ChatTurnRequest, ChatTurnUsage } from './chat-turn.js';
export { ChunkQueue } from './chunk-queue.js';
export { createMemorySessionStore, type SessionStore } from './session-store.js';
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

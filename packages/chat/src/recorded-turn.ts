import type { ChatTurn } from './chat-turn.js';

/**
 * The last call a conversation answered under a request id, kept with its saved record: a retry of
 * that call (same id, same history) gets this reply back instead of running again — for a call whose
 * save reached the store but whose answer never reached the caller.
 */
export interface RecordedTurn {
  readonly requestId: string;
  readonly turn: ChatTurn;
}

export type {
  FinishReason,
  GeneratedToken,
  GenerateOptions,
  GenerateResult,
  IngestOptions,
  IngestResult,
} from './generate-options.js';
export { MemorySession } from './memory-session.js';
export type { ContinuationScore, ScoreOptions } from './score-continuations.js';
export type { MemorySessionOptions, RestoreSessionOptions } from './session-options.js';
export {
  decodeSessionSnapshot,
  encodeSessionSnapshot,
  type SessionSnapshotContents,
  sessionSnapshotVersion,
} from './session-snapshot.js';
export type { SessionStatistics } from './session-statistics.js';
export { TextStream } from './text-stream.js';
export { Transcript } from './transcript.js';

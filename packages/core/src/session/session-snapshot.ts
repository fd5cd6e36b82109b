import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { tokenRoles } from '../ledger/token-role.js';
import type { KVBackend } from '../seam/kv-backend.js';
import { BinaryReader, BinaryWriter } from '../snapshot/binary-writer.js';
import { decodeSnapshotEnvelope, encodeSnapshotEnvelope } from '../snapshot/snapshot-envelope.js';

/** Everything a `MemorySession` needs to continue where it stopped. */
export interface SessionSnapshotContents {
  /** `ModelInfo.fingerprint` of the backend that wrote it. */
  readonly fingerprint: string;
  /** KV cells of the session's cache. */
  readonly capacity: number;
  /** The retention policy's name and settings, from which `MemorySession.restore` rebuilds it. */
  readonly policy: {
    /** The policy's `RetentionPolicy.name`, looked up in the policy registry on restore. */
    readonly name: string;
    /** Attention sinks always kept. */
    readonly sinks: number;
    /** Newest tokens always kept. */
    readonly recent: number;
    /** Decay factor applied to the scores at each turn. */
    readonly decay: number;
  };
  /** Index of the current turn (−1 before the first). */
  readonly turn: number;
  /** The session's running totals (see `SessionStatistics`). */
  readonly counters: {
    /** Tokens evicted so far. */
    readonly evicted: number;
    /** Times the policy evicted something. */
    readonly evictions: number;
    /** Tokens fed by `ingest`. */
    readonly ingested: number;
    /** Tokens produced by `generate`. */
    readonly generated: number;
  };
  /** The resident tokens as `TokenLedger` holds them, one array entry per cache position. */
  readonly ledger: {
    /** Token ids. */
    readonly tokens: Int32Array;
    /** Decayed surprisal scores. */
    readonly scores: Float64Array;
    /** Turn each token arrived in. */
    readonly turns: Int32Array;
    /** Role codes (indices into `tokenRoles`). */
    readonly roles: Uint8Array;
    /** Position of each token in the whole conversation stream. */
    readonly streamPositions: Float64Array;
  };
  /** Every token the conversation has seen, resident or evicted (see `Transcript`). */
  readonly transcript: {
    /** Token ids in stream order. */
    readonly tokens: Int32Array;
    /** Role codes (indices into `tokenRoles`). */
    readonly roles: Uint8Array;
  };
  /** The backend's own `KVSequence.snapshot()` bytes. */
  readonly sequence: Uint8Array;
}

/** The version of the session payload layout; bumped on any change, older readers refuse newer ones. */
export const sessionSnapshotVersion = 1;

/**
 * The session's bytes: the shared snapshot envelope (kind `session`, the model's fingerprint, the
 * checksum) around this payload (little-endian): u32 capacity, policy (name, u32 sinks, u32 recent,
 * f64 decay), i32 turn, four f64 counters, u32 ledger length and its five arrays, u32 transcript length
 * with tokens and roles, u64 length + the backend's sequence snapshot (itself enveloped). Strings are u32
 * byte length + UTF-8.
 */
export function encodeSessionSnapshot(contents: SessionSnapshotContents): Uint8Array {
  const writer = new BinaryWriter();
  writer.uint32(contents.capacity);
  writer.string(contents.policy.name);
  writer.uint32(contents.policy.sinks);
  writer.uint32(contents.policy.recent);
  writer.float64(contents.policy.decay);
  writer.int32(contents.turn);
  for (const value of [
    contents.counters.evicted,
    contents.counters.evictions,
    contents.counters.ingested,
    contents.counters.generated,
  ]) {
    writer.float64(value);
  }
  const { ledger, transcript } = contents;
  writer.uint32(ledger.tokens.length);
  for (const token of ledger.tokens) writer.int32(token);
  for (const score of ledger.scores) writer.float64(score);
  for (const turn of ledger.turns) writer.int32(turn);
  writer.bytes(ledger.roles);
  for (const position of ledger.streamPositions) writer.float64(position);
  writer.uint32(transcript.tokens.length);
  for (const token of transcript.tokens) writer.int32(token);
  writer.bytes(transcript.roles);
  writer.uint64(contents.sequence.length);
  return encodeSnapshotEnvelope(
    { kind: 'session', fingerprint: contents.fingerprint, payloadVersion: sessionSnapshotVersion },
    [writer.result(), contents.sequence],
  );
}

/**
 * Parses and validates a snapshot (the envelope, then the payload); anything wrong throws
 * `InvalidOptionError` (option `snapshot`). The fingerprint is checked on restore
 * (`validateSnapshotForBackend`).
 */
export function decodeSessionSnapshot(bytes: Uint8Array): SessionSnapshotContents {
  const { fingerprint, payload, refuse } = decodeSnapshotEnvelope(bytes, {
    kind: 'session',
    payloadVersion: sessionSnapshotVersion,
  });
  const reader = new BinaryReader(payload, refuse);
  const capacity = reader.uint32();
  const policy = {
    name: reader.string(),
    sinks: reader.uint32(),
    recent: reader.uint32(),
    decay: reader.float64(),
  };
  const turn = reader.int32();
  const counters = {
    evicted: reader.float64(),
    evictions: reader.float64(),
    ingested: reader.float64(),
    generated: reader.float64(),
  };
  const ledgerLength = reader.uint32();
  if (ledgerLength > capacity)
    refuse(`it holds ${ledgerLength} resident tokens for a capacity of ${capacity}`);
  const ledger = {
    tokens: Int32Array.from({ length: ledgerLength }, () => reader.int32()),
    scores: Float64Array.from({ length: ledgerLength }, () => reader.float64()),
    turns: Int32Array.from({ length: ledgerLength }, () => reader.int32()),
    roles: reader.bytes(ledgerLength),
    streamPositions: Float64Array.from({ length: ledgerLength }, () => reader.float64()),
  };
  const transcriptLength = reader.uint32();
  if (transcriptLength < ledgerLength) refuse('its transcript is shorter than its resident tokens');
  const transcript = {
    tokens: Int32Array.from({ length: transcriptLength }, () => reader.int32()),
    roles: reader.bytes(transcriptLength),
  };
  if ([...ledger.roles, ...transcript.roles].some((role) => role >= tokenRoles.length))
    refuse('it has unknown roles');
  const sequence = reader.bytes(reader.uint64());
  if (reader.offset !== payload.length) refuse('it has trailing bytes');
  return { fingerprint, capacity, policy, turn, counters, ledger, transcript, sequence };
}

/**
 * Checks a decoded snapshot against the backend that is to continue it: the same model, a backend that
 * can restore, token ids inside the vocabulary, finite scores and counters, stream positions inside the
 * transcript. Throws `InvalidOptionError` naming what is wrong.
 */
export function validateSnapshotForBackend(contents: SessionSnapshotContents, backend: KVBackend): void {
  const refuse = (option: string, value: unknown, expected: string): never => {
    throw new InvalidOptionError({ option, value, expected });
  };
  if (backend?.info?.fingerprint !== contents.fingerprint) {
    refuse(
      'snapshot',
      contents.fingerprint,
      `a snapshot of the loaded model "${backend?.info?.name}" (fingerprint ${backend?.info?.fingerprint})`,
    );
  }
  if (typeof backend.restoreSequence !== 'function') {
    refuse(
      'backend',
      backend.info.name,
      'a backend that implements restoreSequence() (this one cannot restore snapshots)',
    );
  }
  const { vocabularySize } = backend.info;
  const { ledger, transcript, counters } = contents;
  const outside = (tokens: Int32Array) => tokens.some((token) => token < 0 || token >= vocabularySize);
  if (outside(ledger.tokens) || outside(transcript.tokens)) {
    refuse('snapshot', undefined, `token ids inside the model's vocabulary of ${vocabularySize}`);
  }
  if (ledger.scores.some((score) => Number.isNaN(score) || score < 0)) {
    refuse('snapshot', undefined, 'non-negative ledger scores');
  }
  let previous = -1;
  for (const position of ledger.streamPositions) {
    if (!Number.isInteger(position) || position <= previous || position >= transcript.tokens.length) {
      refuse(
        'snapshot',
        position,
        `ascending stream positions inside the transcript of ${transcript.tokens.length}`,
      );
    }
    previous = position;
  }
  if (Object.values(counters).some((value) => !Number.isInteger(value) || value < 0) || contents.turn < -1) {
    refuse('snapshot', undefined, 'non-negative integer counters');
  }
  const { decay } = contents.policy;
  if (!(decay > 0 && decay <= 1)) refuse('snapshot', decay, 'a recorded decay in (0, 1]');
}

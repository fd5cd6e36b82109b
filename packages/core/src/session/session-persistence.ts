import { BackendError } from '../errors/backend-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { PositionShiftUnsupportedError } from '../errors/position-shift-unsupported-error.js';
import type { TokenLedger } from '../ledger/token-ledger.js';
import type { RetentionPolicy } from '../policies/retention-policy.js';
import type { KVBackend } from '../seam/kv-backend.js';
import type { KVSequence } from '../seam/kv-sequence.js';
import { policyFromSnapshot } from './policy-from-snapshot.js';
import {
  type ResolvedSessionOptions,
  type RestoreSessionOptions,
  resolveSessionOptions,
} from './session-options.js';
import {
  decodeSessionSnapshot,
  encodeSessionSnapshot,
  type SessionSnapshotContents,
  validateSnapshotForBackend,
} from './session-snapshot.js';
import { Transcript } from './transcript.js';

/** A session's running totals, as its snapshot records them. */
export type SessionCounters = SessionSnapshotContents['counters'];

/** What `snapshotSession` reads from a `MemorySession` (between operations). */
export interface PersistableSession {
  readonly options: ResolvedSessionOptions;
  readonly sequence: KVSequence;
  readonly ledger: TokenLedger;
  readonly transcript: Transcript;
  readonly turn: number;
  readonly counters: SessionCounters;
}

/** What `restoreSession` hands to the session it rebuilds; the sequence is restored, the rest to load. */
export interface RestoredSessionParts {
  readonly options: ResolvedSessionOptions;
  readonly sequence: KVSequence;
  readonly transcript: Transcript;
  readonly ledger: SessionSnapshotContents['ledger'];
  readonly turn: number;
  readonly counters: SessionCounters;
}

/**
 * The whole session — the backend's cache, the ledger with its scores, the transcript, the counters
 * and the policy's settings — as `MemorySession.snapshot()` bytes.
 */
export async function snapshotSession(session: PersistableSession): Promise<Uint8Array> {
  const { options, sequence: kvSequence, ledger, transcript } = session;
  const { backend, capacity, policy } = options;
  if (typeof kvSequence.snapshot !== 'function') {
    throw new InvalidOptionError({
      option: 'backend',
      value: backend.info.name,
      expected: 'a backend whose sequences implement snapshot() (this one cannot save snapshots)',
    });
  }
  const sequence = await kvSequence.snapshot();
  const length = ledger.length;
  return encodeSessionSnapshot({
    fingerprint: backend.info.fingerprint,
    capacity,
    policy: { name: policy.name, sinks: policy.sinks, recent: policy.recent, decay: policy.decay },
    turn: session.turn,
    counters: { ...session.counters },
    ledger: {
      tokens: ledger.tokens.slice(0, length),
      scores: ledger.scores.slice(0, length),
      turns: ledger.turns.slice(0, length),
      roles: ledger.roles.slice(0, length),
      streamPositions: ledger.streamPositions.slice(0, length),
    },
    transcript: {
      tokens: Int32Array.from(transcript.tokens()),
      roles: transcript.roleCodes(),
    },
    sequence,
  });
}

/**
 * Validates `MemorySession.snapshot()` bytes (format, checksum, the backend's model fingerprint, the
 * policy) before anything reaches the backend, restores the backend sequence and hands everything to
 * `build`, which makes the session. When the restored sequence does not match the snapshot or `build`
 * throws, the sequence is disposed and the error rethrown.
 */
export async function restoreSession<S>(
  options: RestoreSessionOptions,
  build: (parts: RestoredSessionParts) => S,
): Promise<S> {
  const contents = decodeSessionSnapshot(options.snapshot);
  const { backend } = options;
  validateSnapshotForBackend(contents, backend);
  const policy = restoredPolicy(contents.policy, options.policy);
  if (policy.evicts && backend.info.positionShift === 'unsupported') {
    throw new PositionShiftUnsupportedError({
      scheme: backend.info.rope?.scaling?.type ?? 'unknown',
      model: backend.info.name,
    });
  }
  const resolved = resolveSessionOptions({ ...options, capacity: contents.capacity, policy });
  // The backend checks the capacity against what it can fit before the ledger is allocated.
  const sequence = await (backend.restoreSequence as NonNullable<KVBackend['restoreSequence']>)(
    contents.sequence,
    {
      capacity: contents.capacity,
    },
  );
  try {
    if (sequence.length !== contents.ledger.tokens.length) {
      throw new BackendError(
        `restoreSequence() restored ${sequence.length} tokens, but the snapshot's ledger holds ${contents.ledger.tokens.length}.`,
      );
    }
    return build({
      options: resolved,
      sequence,
      transcript: Transcript.fromCodes(contents.transcript.tokens, contents.transcript.roles),
      ledger: contents.ledger,
      turn: contents.turn,
      counters: contents.counters,
    });
  } catch (error) {
    await sequence.dispose();
    throw error;
  }
}

/** The policy to continue with: the one passed (which must match the recorded one) or the recorded one. */
function restoredPolicy(
  recorded: SessionSnapshotContents['policy'],
  passed: RetentionPolicy | undefined,
): RetentionPolicy {
  const policy = passed ?? policyFromSnapshot(recorded);
  if (policy.name !== recorded.name || policy.sinks !== recorded.sinks || policy.recent !== recorded.recent) {
    throw new InvalidOptionError({
      option: 'policy',
      value: `${policy.name} (sinks ${policy.sinks}, recent ${policy.recent})`,
      expected: `the policy the snapshot was taken with: ${recorded.name} (sinks ${recorded.sinks}, recent ${recorded.recent})`,
    });
  }
  return policy;
}

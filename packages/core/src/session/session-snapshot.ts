import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { tokenRoles } from '../ledger/token-role.js';
import type { KVBackend } from '../seam/kv-backend.js';
import { BinaryReader, BinaryWriter } from './binary-writer.js';
import { fnv1a32 } from './checksum.js';

/** Everything a `MemorySession` needs to continue where it stopped. */
export interface SessionSnapshotContents {
  /** `ModelInfo.fingerprint` of the backend that wrote it. */
  readonly fingerprint: string;
  readonly capacity: number;
  readonly policy: {
    readonly name: string;
    readonly sinks: number;
    readonly recent: number;
    readonly decay: number;
  };
  readonly turn: number;
  readonly counters: {
    readonly evicted: number;
    readonly evictions: number;
    readonly ingested: number;
    readonly generated: number;
  };
  readonly ledger: {
    readonly tokens: Int32Array;
    readonly scores: Float64Array;
    readonly turns: Int32Array;
    readonly roles: Uint8Array;
    readonly streamPositions: Float64Array;
  };
  readonly transcript: { readonly tokens: Int32Array; readonly roles: Uint8Array };
  /** The backend's own `KVSequence.snapshot()` bytes. */
  readonly sequence: Uint8Array;
}

const magic = new TextEncoder().encode('SIRLLMSS');
/** Bumped on any layout change; older readers refuse newer snapshots. */
export const sessionSnapshotVersion = 1;

/**
 * Layout (little-endian): magic "SIRLLMSS", u32 version, fingerprint, u32 capacity, policy (name,
 * u32 sinks, u32 recent, f64 decay), i32 turn, four f64 counters, u32 ledger length and its five
 * arrays, u32 transcript length with tokens and roles, u32 + the backend's bytes, then a u32 FNV-1a
 * checksum of everything before it. Strings are u32 byte length + UTF-8.
 */
export function encodeSessionSnapshot(contents: SessionSnapshotContents): Uint8Array {
  const writer = new BinaryWriter();
  writer.bytes(magic);
  writer.uint32(sessionSnapshotVersion);
  writeString(writer, contents.fingerprint);
  writer.uint32(contents.capacity);
  writeString(writer, contents.policy.name);
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
  writer.uint32(contents.sequence.length);
  writer.bytes(contents.sequence);
  writer.uint32(fnv1a32(writer.result()));
  return writer.result().slice();
}

/** Parses and validates a snapshot; anything wrong throws `InvalidOptionError` (option `snapshot`). */
export function decodeSessionSnapshot(bytes: Uint8Array): SessionSnapshotContents {
  const refuse = (reason: string): never => {
    throw new InvalidOptionError({
      option: 'snapshot',
      value: bytes,
      expected: `a valid session snapshot, but ${reason}`,
    });
  };
  if (!(bytes instanceof Uint8Array)) refuse('it is not a Uint8Array');
  if (bytes.length < magic.length + 8 || magic.some((byte, i) => bytes[i] !== byte)) {
    refuse(
      'it does not start with the SirLLM session header (not a session snapshot, or a sequence snapshot)',
    );
  }
  const body = bytes.subarray(0, bytes.length - 4);
  const stored = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true);
  const reader = new BinaryReader(body, refuse);
  reader.bytes(magic.length);
  const version = reader.uint32();
  if (version !== sessionSnapshotVersion) {
    refuse(`it has format version ${version}; this library reads version ${sessionSnapshotVersion}`);
  }
  if (fnv1a32(body) !== stored) refuse('its checksum does not match (truncated or altered)');
  const fingerprint = readString(reader);
  const capacity = reader.uint32();
  const policy = {
    name: readString(reader),
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
  const sequence = reader.bytes(reader.uint32());
  if (reader.offset !== body.length) refuse('it has trailing bytes');
  return { fingerprint, capacity, policy, turn, counters, ledger, transcript, sequence };
}

function writeString(writer: BinaryWriter, text: string): void {
  const encoded = new TextEncoder().encode(text);
  writer.uint32(encoded.length);
  writer.bytes(encoded);
}

function readString(reader: BinaryReader): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(reader.bytes(reader.uint32()));
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

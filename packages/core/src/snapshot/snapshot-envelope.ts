import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { BinaryReader, BinaryWriter } from './binary-writer.js';
import { fnv1a32 } from './checksum.js';

/** What a snapshot holds: a whole `MemorySession`, or one backend's `KVSequence`. */
export const snapshotKinds = [
  'session',
  'reference-sequence',
  'llamacpp-sequence',
  'transformers-sequence',
] as const;
/** One of `snapshotKinds`: what a snapshot holds. */
export type SnapshotKind = (typeof snapshotKinds)[number];

/** The envelope's own layout version; bumped only when the envelope (not a payload) changes. */
export const snapshotEnvelopeVersion = 1;

const magic = new TextEncoder().encode('SIRLLMSN');

/** Who writes each kind, and how to name it in a refusal. */
const kindNames: Record<SnapshotKind, { readonly writer: string; readonly what: string }> = {
  session: { writer: '@sirllm/core', what: 'a session snapshot (MemorySession.snapshot())' },
  'reference-sequence': {
    writer: '@sirllm/testkit',
    what: "a sequence snapshot of @sirllm/testkit's reference backend",
  },
  'llamacpp-sequence': {
    writer: '@sirllm/llamacpp',
    what: "a sequence snapshot from @sirllm/llamacpp's KVSequence.snapshot()",
  },
  'transformers-sequence': {
    writer: '@sirllm/transformers',
    what: "a sequence snapshot from @sirllm/transformers' KVSequence.snapshot()",
  },
};

/**
 * The headers of the layouts written before this envelope (library 0.1.0 before decision 0017): each
 * format had its own magic, version and checksum. They are recognised only to be refused by name.
 */
const legacyHeaders: readonly { readonly magic: string; readonly kinds: readonly SnapshotKind[] }[] = [
  { magic: 'SIRLLMSS', kinds: ['session'] },
  { magic: 'SIRLLMKV', kinds: ['reference-sequence', 'llamacpp-sequence'] },
  { magic: 'SIRLLM-TJS-KV', kinds: ['transformers-sequence'] },
];

/** The envelope's fields besides the payload. */
export interface SnapshotHeader {
  /** What the snapshot holds. */
  readonly kind: SnapshotKind;
  /** `ModelInfo.fingerprint` of the model that wrote the snapshot. */
  readonly fingerprint: string;
  /** The version of the kind's payload layout (each kind versions its own payload). */
  readonly payloadVersion: number;
}

/** What a reader expects of a snapshot; anything else is refused with `InvalidOptionError`. */
export interface SnapshotExpectation {
  /** The kind the reader reads; a snapshot of another kind is refused by name. */
  readonly kind: SnapshotKind;
  /** The payload layout version this reader reads. */
  readonly payloadVersion: number;
  /** The loaded model's fingerprint; omit it only when the caller checks the fingerprint itself. */
  readonly fingerprint?: string;
  /** The option named in errors (default `snapshot`). */
  readonly option?: string;
}

/** A snapshot whose envelope passed every check. */
export interface OpenedSnapshot {
  /** `ModelInfo.fingerprint` of the model that wrote the snapshot. */
  readonly fingerprint: string;
  /** The payload (a view into the snapshot's bytes). */
  readonly payload: Uint8Array;
  /** Throws the same `InvalidOptionError` the envelope's checks throw, for the payload decoder's checks. */
  readonly refuse: (reason: string) => never;
}

/**
 * Wraps a payload in the snapshot envelope. Layout (little-endian): magic `SIRLLMSN`, u32 envelope
 * version, kind (u32 byte length + UTF-8), model fingerprint (the same), u32 payload version, u64
 * payload length (two u32, low word first), the payload, then a u32 FNV-1a checksum of everything
 * before it. `payload` may be given in parts, copied once.
 */
export function encodeSnapshotEnvelope(
  header: SnapshotHeader,
  payload: Uint8Array | readonly Uint8Array[],
): Uint8Array {
  if (!snapshotKinds.includes(header.kind)) {
    throw new InvalidOptionError({ option: 'kind', value: header.kind, expected: snapshotKinds.join(', ') });
  }
  const parts = payload instanceof Uint8Array ? [payload] : payload;
  const payloadLength = parts.reduce((sum, part) => sum + part.length, 0);
  const head = new BinaryWriter();
  head.bytes(magic);
  head.uint32(snapshotEnvelopeVersion);
  head.string(header.kind);
  head.string(header.fingerprint);
  head.uint32(header.payloadVersion);
  head.uint64(payloadLength);
  const bytes = new Uint8Array(head.length + payloadLength + 4);
  bytes.set(head.result());
  let offset = head.length;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  new DataView(bytes.buffer).setUint32(offset, fnv1a32(bytes.subarray(0, offset)), true);
  return bytes;
}

/**
 * Checks a snapshot's envelope — header, checksum (whenever the length fields parse), envelope version,
 * length, kind, model fingerprint, payload version, in that order — and returns its payload. Anything
 * wrong throws `InvalidOptionError` whose message says what: not a snapshot, altered, written by an
 * older or a newer version, truncated, another kind, another model.
 */
export function decodeSnapshotEnvelope(bytes: unknown, expected: SnapshotExpectation): OpenedSnapshot {
  const { what, writer } = kindNames[expected.kind];
  const refuse = (reason: string): never => {
    throw new InvalidOptionError({
      option: expected.option ?? 'snapshot',
      value: bytes,
      expected: `${what}, but ${reason}`,
    });
  };
  if (!(bytes instanceof Uint8Array)) return refuse('it is not a Uint8Array');
  const legacy = legacyHeaders.find((header) => startsWith(bytes, new TextEncoder().encode(header.magic)));
  if (legacy) {
    const writers = legacy.kinds.includes(expected.kind)
      ? writer
      : legacy.kinds.map((kind) => kindNames[kind].writer).join(' or ');
    refuse(
      `it was written by an older version of ${writers}, in a layout from before the shared snapshot envelope that this version no longer reads; re-create the session`,
    );
  }
  if (bytes.length < magic.length + 4 || !startsWith(bytes, magic)) {
    refuse('it does not start with the SirLLM snapshot header (it is not a snapshot)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(magic.length, true);
  const body = bytes.subarray(0, bytes.length - 4);
  // The length fields are read before the version is judged: while they still describe the bytes, a
  // checksum mismatch means altered bytes (one flipped bit in the version must not say "upgrade").
  // Only when they do not parse can a different version be the reason (another layout).
  let problem: string | undefined;
  let kind = '';
  let fingerprint = '';
  let payloadVersion = 0;
  let payloadStart = 0;
  const reader = new BinaryReader(body, (reason) => {
    throw new HeaderProblem(reason);
  });
  try {
    reader.bytes(magic.length + 4);
    kind = reader.string();
    fingerprint = reader.string();
    payloadVersion = reader.uint32();
    const payloadLength = reader.uint64();
    payloadStart = reader.offset;
    if (payloadStart + payloadLength > body.length) {
      problem = `it ends early: its header announces ${payloadLength} payload bytes and ${body.length - payloadStart} follow (truncated?)`;
    } else if (payloadStart + payloadLength < body.length) {
      problem = 'it has bytes after its payload';
    }
  } catch (error) {
    if (!(error instanceof HeaderProblem)) throw error;
    problem = error.reason;
  }
  if (problem === undefined && fnv1a32(body) !== view.getUint32(body.length, true)) {
    refuse('its checksum does not match (altered or corrupted)');
  }
  if (version !== snapshotEnvelopeVersion) {
    refuse(
      version > snapshotEnvelopeVersion
        ? `it was written by a newer version of SirLLM (snapshot format ${version}; this version reads format ${snapshotEnvelopeVersion}): upgrade to restore it`
        : `it has an unknown snapshot format ${version}`,
    );
  }
  if (problem !== undefined) refuse(problem);
  if (kind !== expected.kind) {
    const found =
      kindNames[kind as SnapshotKind]?.what ?? `a snapshot of unknown kind ${JSON.stringify(kind)}`;
    const hint =
      kind === 'session'
        ? ': restore it with MemorySession.restore'
        : expected.kind === 'session' && kind in kindNames
          ? ': restore it with KVBackend.restoreSequence'
          : '';
    refuse(`it is ${found}${hint}`);
  }
  if (expected.fingerprint !== undefined && fingerprint !== expected.fingerprint) {
    refuse(
      `it belongs to model ${JSON.stringify(fingerprint)}, but this backend runs model ${JSON.stringify(expected.fingerprint)} (the model fingerprints differ)`,
    );
  }
  if (payloadVersion !== expected.payloadVersion) {
    refuse(
      payloadVersion > expected.payloadVersion
        ? `it was written by a newer version of ${writer} (payload layout ${payloadVersion}; this version reads ${expected.payloadVersion}): upgrade to restore it`
        : `it was written by an older version of ${writer} (payload layout ${payloadVersion}; this version reads ${expected.payloadVersion}); re-create the session`,
    );
  }
  return { fingerprint, payload: body.subarray(payloadStart), refuse };
}

/** A header field that does not parse (thrown inside the envelope check, never out of it). */
class HeaderProblem extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

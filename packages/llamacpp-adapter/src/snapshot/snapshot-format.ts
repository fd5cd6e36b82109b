import { createHash } from 'node:crypto';
import { InvalidOptionError } from '@sirllm/core';

/** The bytes `LlamaCppSequence.snapshot` writes, decoded. */
export interface SequenceSnapshot {
  /** `ModelInfo.fingerprint` of the model that produced it. */
  readonly fingerprint: string;
  /** `sequencesPerContext` of the producing backend (llama.cpp state files depend on it). */
  readonly sequencesPerContext: number;
  /** Every resident token, in cache order. */
  readonly tokens: readonly number[];
  /** How many of `tokens` are in llama.cpp's state (the last one may still be waiting to be fed). */
  readonly evaluated: number;
  /** node-llama-cpp's sequence state file (`saveStateToFile`). */
  readonly state: Uint8Array;
}

/** The format version this package writes and reads. */
export const snapshotFormatVersion = 1;

const magic = new TextEncoder().encode('SIRLLMKV');
const checksumLength = 32;

/**
 * Layout (little-endian): magic `SIRLLMKV`, u32 version, u32 fingerprint length + UTF-8 fingerprint,
 * u32 sequencesPerContext, u32 token count, u32 evaluated count, u32 tokens…, u32 state length,
 * state bytes, then the SHA-256 of everything before it.
 */
export function encodeSnapshot(snapshot: SequenceSnapshot): Uint8Array {
  const fingerprint = new TextEncoder().encode(snapshot.fingerprint);
  const size =
    magic.length + 4 + 4 + fingerprint.length + 12 + 4 * snapshot.tokens.length + 4 + snapshot.state.length;
  const bytes = new Uint8Array(size + checksumLength);
  const view = new DataView(bytes.buffer);
  let at = 0;
  bytes.set(magic, at);
  at += magic.length;
  const u32 = (value: number) => {
    view.setUint32(at, value, true);
    at += 4;
  };
  u32(snapshotFormatVersion);
  u32(fingerprint.length);
  bytes.set(fingerprint, at);
  at += fingerprint.length;
  u32(snapshot.sequencesPerContext);
  u32(snapshot.tokens.length);
  u32(snapshot.evaluated);
  for (const token of snapshot.tokens) u32(token);
  u32(snapshot.state.length);
  bytes.set(snapshot.state, at);
  at += snapshot.state.length;
  bytes.set(sha256(bytes.subarray(0, at)), at);
  return bytes;
}

/** What a snapshot must match to be restored by this backend. */
export interface SnapshotExpectations {
  readonly fingerprint: string;
  readonly sequencesPerContext: number;
  readonly vocabularySize: number;
}

/**
 * Decodes and validates snapshot bytes completely (checksum, version, model fingerprint, layout,
 * token ids) before anything reaches llama.cpp. Throws `InvalidOptionError` naming what is wrong.
 */
export function decodeSnapshot(bytes: unknown, expected: SnapshotExpectations): SequenceSnapshot {
  const refuse = (problem: string): never => {
    throw new InvalidOptionError({
      option: 'restoreSequence(snapshot)',
      value: bytes,
      expected: `an intact snapshot from @sirllm/llamacpp's KVSequence.snapshot() (${problem})`,
    });
  };
  if (!(bytes instanceof Uint8Array)) return refuse('not a Uint8Array');
  if (bytes.length < magic.length + 24 + checksumLength) return refuse('too short: truncated or empty');
  if (!magic.every((byte, i) => bytes[i] === byte)) return refuse('it does not start with SIRLLMKV');
  const body = bytes.subarray(0, bytes.length - checksumLength);
  const stored = bytes.subarray(bytes.length - checksumLength);
  if (!sha256(body).every((byte, i) => stored[i] === byte))
    return refuse('checksum mismatch: truncated or altered');
  const view = new DataView(bytes.buffer, bytes.byteOffset, body.length);
  let at = magic.length;
  const u32 = () => {
    if (at + 4 > body.length) refuse('its fields run past its end');
    const value = view.getUint32(at, true);
    at += 4;
    return value;
  };
  const version = u32();
  if (version !== snapshotFormatVersion)
    return refuse(`format version ${version}, this package reads ${snapshotFormatVersion}`);
  const fingerprintLength = u32();
  if (at + fingerprintLength > body.length) return refuse('its fields run past its end');
  const fingerprint = new TextDecoder().decode(body.subarray(at, at + fingerprintLength));
  at += fingerprintLength;
  if (fingerprint !== expected.fingerprint) {
    return refuse(`it belongs to model ${fingerprint}, this backend runs model ${expected.fingerprint}`);
  }
  const sequencesPerContext = u32();
  if (sequencesPerContext !== expected.sequencesPerContext) {
    return refuse(
      `it was taken with sequencesPerContext ${sequencesPerContext}; create the backend with the same value (now ${expected.sequencesPerContext})`,
    );
  }
  const count = u32();
  const evaluated = u32();
  if (evaluated > count || count > evaluated + 1) return refuse('inconsistent token counts');
  if (at + 4 * count > body.length) return refuse('its fields run past its end');
  const tokens: number[] = [];
  for (let i = 0; i < count; i++) {
    const token = u32();
    if (token >= expected.vocabularySize) return refuse(`token ${token} is outside the vocabulary`);
    tokens.push(token);
  }
  const stateLength = u32();
  if (at + stateLength !== body.length) return refuse('its state length does not match its size');
  if (evaluated > 0 && stateLength === 0) return refuse('its llama.cpp state is missing');
  return { fingerprint, sequencesPerContext, tokens, evaluated, state: body.slice(at) };
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

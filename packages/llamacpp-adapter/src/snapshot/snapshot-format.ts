import { decodeSnapshotEnvelope, encodeSnapshotEnvelope } from '@sirllm/core';

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

/** The version of this package's payload layout (the envelope has its own). */
export const snapshotFormatVersion = 1;

/**
 * The shared snapshot envelope (kind `llamacpp-sequence`, the model's fingerprint, the checksum) around
 * this payload, little-endian: u32 sequencesPerContext, u32 token count, u32 evaluated count,
 * u32 tokens…, u64 state length (two u32, low word first), then node-llama-cpp's state file.
 */
export function encodeSnapshot(snapshot: SequenceSnapshot): Uint8Array {
  const head = new Uint8Array(4 * (3 + snapshot.tokens.length) + 8);
  const view = new DataView(head.buffer);
  let at = 0;
  const u32 = (value: number) => {
    view.setUint32(at, value, true);
    at += 4;
  };
  u32(snapshot.sequencesPerContext);
  u32(snapshot.tokens.length);
  u32(snapshot.evaluated);
  for (const token of snapshot.tokens) u32(token);
  u32(snapshot.state.length % 2 ** 32);
  u32(Math.floor(snapshot.state.length / 2 ** 32));
  return encodeSnapshotEnvelope(
    { kind: 'llamacpp-sequence', fingerprint: snapshot.fingerprint, payloadVersion: snapshotFormatVersion },
    [head, snapshot.state],
  );
}

/** What a snapshot must match to be restored by this backend. */
export interface SnapshotExpectations {
  readonly fingerprint: string;
  readonly sequencesPerContext: number;
  readonly vocabularySize: number;
}

/**
 * Decodes and validates snapshot bytes completely (the envelope: checksum, kind, version, model
 * fingerprint; then the layout and token ids) before anything reaches llama.cpp. Throws
 * `InvalidOptionError` naming what is wrong.
 */
export function decodeSnapshot(bytes: unknown, expected: SnapshotExpectations): SequenceSnapshot {
  const { fingerprint, payload, refuse } = decodeSnapshotEnvelope(bytes, {
    kind: 'llamacpp-sequence',
    payloadVersion: snapshotFormatVersion,
    fingerprint: expected.fingerprint,
    option: 'restoreSequence(snapshot)',
  });
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let at = 0;
  const u32 = () => {
    if (at + 4 > payload.length) refuse('its fields run past its end');
    const value = view.getUint32(at, true);
    at += 4;
    return value;
  };
  const sequencesPerContext = u32();
  if (sequencesPerContext !== expected.sequencesPerContext) {
    refuse(
      `it was taken with sequencesPerContext ${sequencesPerContext}; create the backend with the same value (now ${expected.sequencesPerContext})`,
    );
  }
  const count = u32();
  const evaluated = u32();
  if (evaluated > count || count > evaluated + 1) refuse('its token counts are inconsistent');
  if (at + 4 * count > payload.length) refuse('its fields run past its end');
  const tokens: number[] = [];
  for (let i = 0; i < count; i++) {
    const token = u32();
    if (token >= expected.vocabularySize) refuse(`token ${token} is outside the vocabulary`);
    tokens.push(token);
  }
  const stateLength = u32() + u32() * 2 ** 32;
  if (at + stateLength !== payload.length) refuse('its state length does not match its size');
  if (evaluated > 0 && stateLength === 0) refuse('its llama.cpp state is missing');
  return { fingerprint, sequencesPerContext, tokens, evaluated, state: payload.slice(at) };
}

import { createHash } from 'node:crypto';
import { decodeSnapshotEnvelope, encodeSnapshotEnvelope, InvalidOptionError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import {
  decodeSnapshot,
  encodeSnapshot,
  type SequenceSnapshot,
  snapshotFormatVersion,
} from '../../src/snapshot/snapshot-format.js';

const expected = { fingerprint: 'gguf:0123abcd', sequencesPerContext: 4, vocabularySize: 400 };
const snapshot: SequenceSnapshot = {
  fingerprint: expected.fingerprint,
  sequencesPerContext: 4,
  tokens: [1, 20, 300, 7],
  evaluated: 3,
  state: Uint8Array.from({ length: 64 }, (_, i) => (i * 13) % 256),
};

/** The message of the `InvalidOptionError` that decoding `bytes` throws (no model or llama.cpp needed). */
function refusal(bytes: unknown, expectations = expected): string {
  let error: unknown;
  try {
    decodeSnapshot(bytes, expectations);
  } catch (caught) {
    error = caught;
  }
  expect(InvalidOptionError.isInstance(error)).toBe(true);
  expect((error as InvalidOptionError).option).toBe('restoreSequence(snapshot)');
  return (error as Error).message;
}

describe('llama.cpp sequence snapshot format (in the shared envelope)', () => {
  it('round-trips tokens, counts and the llama.cpp state', () => {
    const decoded = decodeSnapshot(encodeSnapshot(snapshot), expected);
    expect({ ...decoded, state: Array.from(decoded.state) }).toEqual({
      ...snapshot,
      state: Array.from(snapshot.state),
    });
  });

  it('refuses another model, another sequencesPerContext, bad tokens and a missing state', () => {
    const bytes = encodeSnapshot(snapshot);
    expect(refusal(bytes, { ...expected, fingerprint: 'gguf:ffff0000' })).toMatch(
      /belongs to model "gguf:0123abcd", but this backend runs model "gguf:ffff0000"/,
    );
    expect(refusal(bytes, { ...expected, sequencesPerContext: 2 })).toMatch(
      /sequencesPerContext 4.*same value/,
    );
    expect(refusal(bytes, { ...expected, vocabularySize: 100 })).toMatch(
      /token 300 is outside the vocabulary/,
    );
    expect(refusal(encodeSnapshot({ ...snapshot, state: new Uint8Array(0) }))).toMatch(/state is missing/);
    expect(refusal(encodeSnapshot({ ...snapshot, evaluated: 1 }))).toMatch(/token counts are inconsistent/);
  });

  it('refuses a snapshot of another kind with the same model', () => {
    const { payload } = decodeSnapshotEnvelope(encodeSnapshot(snapshot), {
      kind: 'llamacpp-sequence',
      payloadVersion: snapshotFormatVersion,
    });
    for (const kind of ['session', 'reference-sequence', 'transformers-sequence'] as const) {
      const bytes = encodeSnapshotEnvelope(
        { kind, fingerprint: expected.fingerprint, payloadVersion: snapshotFormatVersion },
        payload,
      );
      expect(refusal(bytes)).toMatch(/sequence snapshot from @sirllm\/llamacpp.*, but it is a/);
    }
  });

  it('refuses the layout written before the shared envelope, asking to re-create the session', () => {
    // Built by hand as the old writer did: magic SIRLLMKV, u32 version 1, u32 fingerprint length +
    // UTF-8 fingerprint, u32 sequencesPerContext, u32 token count, u32 evaluated, u32 tokens, u32 state
    // length, the state, then the SHA-256 of everything before it.
    const fingerprint = new TextEncoder().encode(expected.fingerprint);
    const head = [1, fingerprint.length];
    const rest = [4, 2, 2, 11, 12, 3];
    const state = Uint8Array.of(9, 8, 7);
    const body = new Uint8Array(8 + 4 * head.length + fingerprint.length + 4 * rest.length + state.length);
    const view = new DataView(body.buffer);
    body.set(new TextEncoder().encode('SIRLLMKV'));
    head.forEach((value, index) => {
      view.setUint32(8 + 4 * index, value, true);
    });
    body.set(fingerprint, 16);
    rest.forEach((value, index) => {
      view.setUint32(16 + fingerprint.length + 4 * index, value, true);
    });
    body.set(state, body.length - state.length);
    const old = new Uint8Array(body.length + 32);
    old.set(body);
    old.set(createHash('sha256').update(body).digest(), body.length);
    expect(refusal(old)).toMatch(/written by an older version of @sirllm\/llamacpp.*re-create the session/);
  });

  it('refuses truncated and altered bytes', () => {
    const bytes = encodeSnapshot(snapshot);
    expect(refusal(bytes.slice(0, -5))).toMatch(/ends early/);
    const altered = bytes.slice();
    altered[bytes.length - 10] = (altered[bytes.length - 10] as number) ^ 1;
    expect(refusal(altered)).toMatch(/checksum does not match/);
    expect(refusal(new Uint8Array(3))).toMatch(/not a snapshot/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  decodeSnapshotEnvelope,
  encodeSnapshotEnvelope,
  fnv1a32,
  InvalidOptionError,
  type SnapshotExpectation,
  snapshotEnvelopeVersion,
} from '../src/index.js';

const header = { kind: 'llamacpp-sequence', fingerprint: 'gguf:model-a', payloadVersion: 3 } as const;
const expectation: SnapshotExpectation = {
  kind: 'llamacpp-sequence',
  fingerprint: 'gguf:model-a',
  payloadVersion: 3,
};
const payload = Uint8Array.from({ length: 50 }, (_, i) => (i * 7) % 256);

/** The error `decodeSnapshotEnvelope` throws for `bytes`, checked to be an `InvalidOptionError`. */
function refusal(bytes: unknown, expected: SnapshotExpectation = expectation): InvalidOptionError {
  let error: unknown;
  try {
    decodeSnapshotEnvelope(bytes, expected);
  } catch (caught) {
    error = caught;
  }
  expect(InvalidOptionError.isInstance(error)).toBe(true);
  return error as InvalidOptionError;
}

/** Recomputes the trailing checksum after a deliberate edit, so only the edited field is wrong. */
function resealed(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(copy.length - 4, fnv1a32(copy.subarray(0, copy.length - 4)), true);
  return copy;
}

describe('snapshot envelope', () => {
  it('round-trips kind, fingerprint and payload, given whole or in parts', () => {
    const whole = encodeSnapshotEnvelope(header, payload);
    const parts = encodeSnapshotEnvelope(header, [payload.subarray(0, 13), payload.subarray(13)]);
    expect(parts).toEqual(whole);
    expect(new TextDecoder().decode(whole.subarray(0, 8))).toBe('SIRLLMSN');
    expect(new DataView(whole.buffer).getUint32(8, true)).toBe(snapshotEnvelopeVersion);
    const opened = decodeSnapshotEnvelope(whole, expectation);
    expect(opened.fingerprint).toBe('gguf:model-a');
    expect(Array.from(opened.payload)).toEqual(Array.from(payload));
    const empty = decodeSnapshotEnvelope(encodeSnapshotEnvelope(header, new Uint8Array(0)), expectation);
    expect(empty.payload.length).toBe(0);
  });

  it('checks the checksum with the one FNV-1a (the published 32-bit test vectors)', () => {
    expect(fnv1a32(new Uint8Array(0))).toBe(0x811c9dc5);
    expect(fnv1a32(new TextEncoder().encode('a'))).toBe(0xe40c292c);
    expect(fnv1a32(new TextEncoder().encode('foobar'))).toBe(0xbf9cf968);
    const bytes = new TextEncoder().encode('foobar');
    expect(fnv1a32(bytes.subarray(3), fnv1a32(bytes.subarray(0, 3)))).toBe(0xbf9cf968);
    const sealed = encodeSnapshotEnvelope(header, payload);
    const stored = new DataView(sealed.buffer).getUint32(sealed.length - 4, true);
    expect(stored).toBe(fnv1a32(sealed.subarray(0, sealed.length - 4)));
  });

  it('refuses truncated, altered and padded bytes, saying which', () => {
    const bytes = encodeSnapshotEnvelope(header, payload);
    expect(refusal(bytes.slice(0, -10)).message).toMatch(/ends early.*truncated/);
    expect(refusal(bytes.slice(0, 20)).message).toMatch(/ends early/);
    const altered = bytes.slice();
    altered[bytes.length - 20] = (altered[bytes.length - 20] as number) ^ 0x10;
    expect(refusal(altered).message).toMatch(/checksum does not match/);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes);
    expect(refusal(padded).message).toMatch(/bytes after its payload|checksum/);
  });

  it('blames a flipped bit in the version field on corruption, not on a newer version', () => {
    const bytes = encodeSnapshotEnvelope(header, payload);
    for (let bit = 0; bit < 32; bit++) {
      const flipped = bytes.slice();
      flipped[8 + (bit >> 3)] = (flipped[8 + (bit >> 3)] as number) ^ (1 << (bit & 7));
      const { message } = refusal(flipped);
      expect(message, `bit ${bit}`).toMatch(/checksum does not match \(altered or corrupted\)/);
      expect(message, `bit ${bit}`).not.toMatch(/upgrade|unknown snapshot format/);
    }
    // The same for a flipped bit in the payload version (read after the checksum, as before).
    const payloadVersionAt = 8 + 4 + 4 + header.kind.length + 4 + header.fingerprint.length;
    const flipped = bytes.slice();
    flipped[payloadVersionAt] = (flipped[payloadVersionAt] as number) ^ 0x04;
    expect(refusal(flipped).message).toMatch(/checksum does not match/);
  });

  it('refuses what is not a snapshot, and names the option', () => {
    expect(refusal('hello').message).toMatch(/not a Uint8Array/);
    expect(refusal(new Uint8Array(40)).message).toMatch(/does not start with the SirLLM snapshot header/);
    expect(refusal(new Uint8Array(0)).message).toMatch(/header/);
    const named = refusal(new Uint8Array(3), { ...expectation, option: 'restoreSequence(snapshot)' });
    expect(named.option).toBe('restoreSequence(snapshot)');
    expect(named.message).toMatch(/@sirllm\/llamacpp/);
  });

  it('refuses another kind, naming both and where to restore it', () => {
    const session = encodeSnapshotEnvelope({ ...header, kind: 'session' }, payload);
    expect(refusal(session).message).toMatch(
      /sequence snapshot from @sirllm\/llamacpp.*but it is a session snapshot.*MemorySession\.restore/,
    );
    const sequence = encodeSnapshotEnvelope({ ...header, kind: 'transformers-sequence' }, payload);
    const asSession = refusal(sequence, { kind: 'session', payloadVersion: 3 });
    expect(asSession.message).toMatch(/session snapshot.*but it is a sequence snapshot.*transformers/);
    expect(asSession.message).toMatch(/KVBackend\.restoreSequence/);
    expect(refusal(sequence).message).toMatch(/it is a sequence snapshot from @sirllm\/transformers/);
    // A kind this version does not know (bytes edited by hand, checksum resealed).
    const unknownKind = encodeSnapshotEnvelope(header, payload);
    unknownKind.set(new TextEncoder().encode('gpt'), 16);
    expect(refusal(resealed(unknownKind)).message).toMatch(/unknown kind "gptmacpp-sequence"/);
    expect(() =>
      encodeSnapshotEnvelope({ ...header, kind: 'other' as unknown as 'session' }, payload),
    ).toThrow(InvalidOptionError);
  });

  it('refuses a snapshot of another model, naming both fingerprints', () => {
    const other = encodeSnapshotEnvelope({ ...header, fingerprint: 'gguf:model-b' }, payload);
    expect(refusal(other).message).toMatch(
      /belongs to model "gguf:model-b", but this backend runs model "gguf:model-a"/,
    );
    // Without an expected fingerprint the caller checks it (a session checks it against its backend).
    const { fingerprint } = decodeSnapshotEnvelope(other, { kind: 'llamacpp-sequence', payloadVersion: 3 });
    expect(fingerprint).toBe('gguf:model-b');
  });

  it('refuses newer envelopes and newer or older payload layouts', () => {
    const bytes = encodeSnapshotEnvelope(header, payload);
    const newerEnvelope = bytes.slice();
    newerEnvelope[8] = snapshotEnvelopeVersion + 1;
    expect(refusal(resealed(newerEnvelope)).message).toMatch(
      /newer version of SirLLM \(snapshot format 2.*upgrade/,
    );
    // A newer envelope whose layout no longer parses as this one is still told apart by its version.
    const newerLayout = resealed(newerEnvelope).slice(0, 30);
    expect(refusal(newerLayout).message).toMatch(/newer version of SirLLM \(snapshot format 2.*upgrade/);
    expect(refusal(bytes, { ...expectation, payloadVersion: 2 }).message).toMatch(
      /newer version of @sirllm\/llamacpp \(payload layout 3; this version reads 2\)/,
    );
    expect(refusal(bytes, { ...expectation, payloadVersion: 4 }).message).toMatch(
      /older version of @sirllm\/llamacpp \(payload layout 3; this version reads 4\); re-create the session/,
    );
  });
});

import {
  AbortedError,
  CapacityExceededError,
  createRandom,
  encodeSnapshotEnvelope,
  fnv1a32,
  InvalidOptionError,
  PositionShiftUnsupportedError,
  SessionBusyError,
} from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { createTinyLlama } from '../tiny-llama/create-tiny-llama.js';
import { createTokenizer } from '../tokenizer/create-tokenizer.js';
import { createReferenceBackend } from './reference-backend.js';
import { referenceForward } from './reference-forward.js';
import type { ReferenceSequence } from './reference-sequence.js';

const random = createRandom(99);
const randomTokens = (count: number, vocabularySize: number) =>
  Array.from({ length: count }, () => random.nextInteger(vocabularySize));
const prefix = (count: number) => Uint32Array.from({ length: count }, (_, index) => index);
const maximumDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
};
const nextLogits = async (sequence: ReferenceSequence) => {
  const logits = await sequence.nextTokenLogits();
  if (!logits) throw new Error('no logits for an empty sequence');
  return logits;
};

/** An AbortSignal stand-in that reports aborted from its n-th read of `aborted` on. */
const abortOnRead = (reads: number) => {
  let count = 0;
  return {
    get aborted() {
      count++;
      return count >= reads;
    },
    reason: new Error('test abort'),
  } as unknown as AbortSignal;
};

describe('reference backend: compaction is exact', () => {
  it('1 layer: evicting arbitrary non-contiguous tokens, then appending, gives the logits of a fresh forward at positions 0..k−1 (≤ 1e-9)', async () => {
    const model = createTinyLlama({ seed: 21 });
    const backend = createReferenceBackend({ model });
    const vocabularySize = model.config.vocabularySize;
    let worst = 0;
    for (let trial = 0; trial < 25; trial++) {
      const sequence = await backend.createSequence({ capacity: 96 });
      let resident = randomTokens(20 + random.nextInteger(50), vocabularySize);
      await sequence.append(resident);
      for (let round = 0; round < 3; round++) {
        const keep = [0];
        const fraction = random.next();
        for (let index = 1; index < resident.length; index++) if (random.next() < fraction) keep.push(index);
        await sequence.retain(Uint32Array.from(keep));
        resident = keep.map((index) => resident[index] as number);
        const fed = randomTokens(1 + random.nextInteger(6), vocabularySize);
        const expected = referenceForward(model, [...resident, ...fed]);
        worst = Math.max(
          worst,
          maximumDifference(await nextLogits(sequence), expected[resident.length - 1] as Float64Array),
        );
        for (const token of fed) {
          await sequence.append([token]);
          resident.push(token);
          worst = Math.max(
            worst,
            maximumDifference(await nextLogits(sequence), expected[resident.length - 1] as Float64Array),
          );
        }
      }
      await sequence.dispose();
    }
    expect(worst).toBeLessThanOrEqual(1e-9);
  });

  it('any depth: rolling back a tail equals never having appended it (≤ 1e-9)', async () => {
    const model = createTinyLlama({ seed: 22, layers: 3 });
    const backend = createReferenceBackend({ model });
    const vocabularySize = model.config.vocabularySize;
    const history = randomTokens(60, vocabularySize);
    const rolledBack = await backend.createSequence({ capacity: 128 });
    const direct = await backend.createSequence({ capacity: 128 });
    const keep = Uint32Array.from([0, 1, 2, 3, 9, 10, 20, 33, 34, 35, 50, 58]);
    for (const sequence of [rolledBack, direct]) {
      await sequence.append(history);
      await sequence.retain(keep);
    }
    for (const depth of [1, 2, 5, 30, 60]) {
      const length = rolledBack.length;
      await rolledBack.append(randomTokens(depth, vocabularySize));
      await rolledBack.retain(prefix(length));
      expect(maximumDifference(await nextLogits(rolledBack), await nextLogits(direct))).toBeLessThanOrEqual(
        1e-9,
      );
      const shared = randomTokens(4, vocabularySize);
      const a = await rolledBack.append(shared);
      const b = await direct.append(shared);
      expect(maximumDifference(a.surprisal, b.surprisal)).toBeLessThanOrEqual(1e-6);
      expect(maximumDifference(await nextLogits(rolledBack), await nextLogits(direct))).toBeLessThanOrEqual(
        1e-9,
      );
    }
    // Without eviction, rollback also equals a fresh forward pass.
    const plain = await backend.createSequence({ capacity: 128 });
    await plain.append(history);
    await plain.retain(prefix(25));
    expect(
      maximumDifference(
        await nextLogits(plain),
        referenceForward(model, history.slice(0, 25))[24] as Float64Array,
      ),
    ).toBeLessThanOrEqual(1e-9);
  });
});

describe('reference backend: atomic append', () => {
  it('an abort between tokens restores the length and the pending distribution, even after an eviction', async () => {
    const model = createTinyLlama({ seed: 23, layers: 2 });
    const backend = createReferenceBackend({ model });
    const tokens = randomTokens(50, model.config.vocabularySize);
    const aborted = await backend.createSequence({ capacity: 64 });
    const twin = await backend.createSequence({ capacity: 64 });
    for (const sequence of [aborted, twin]) {
      await sequence.append(tokens.slice(0, 30));
      await sequence.retain(Uint32Array.of(0, 1, 5, 7, 8, 20, 28));
    }
    await expect(aborted.append(tokens.slice(30, 45), { signal: abortOnRead(6) })).rejects.toSatisfy(
      AbortedError.isInstance,
    );
    expect(aborted.length).toBe(7);
    expect(await aborted.snapshot()).toEqual(await twin.snapshot());
    const a = await aborted.append(tokens.slice(30, 40));
    const b = await twin.append(tokens.slice(30, 40));
    expect(Array.from(a.surprisal)).toEqual(Array.from(b.surprisal));
    expect(await nextLogits(aborted)).toEqual(await nextLogits(twin));
  });

  it('refuses a second call while an append is running', async () => {
    const backend = createReferenceBackend({ model: { seed: 24 } });
    const sequence = await backend.createSequence({ capacity: 128 });
    const running = sequence.append(randomTokens(100, 300), { signal: new AbortController().signal });
    await expect(sequence.append([1])).rejects.toSatisfy(SessionBusyError.isInstance);
    await running;
    expect(sequence.length).toBe(100);
  });

  it('refuses to sample from an empty sequence', async () => {
    const sequence = await createReferenceBackend().createSequence({ capacity: 8 });
    await expect(sequence.append([], { sample: {} })).rejects.toSatisfy(InvalidOptionError.isInstance);
  });
});

describe('reference backend: model info and tokenizer', () => {
  it('reports the tokenizer specials and the rope settings', () => {
    const backend = createReferenceBackend();
    const tokenizer = createTokenizer();
    expect(backend.info.vocabularySize).toBe(tokenizer.vocabularySize);
    expect(backend.info.specialTokens.beginOfSequence).toBe(tokenizer.specialTokenId('<s>'));
    expect(backend.info.specialTokens.endOfGeneration).toEqual([
      tokenizer.specialTokenId('</s>'),
      tokenizer.specialTokenId('<|end|>'),
    ]);
    expect(backend.info.rope).toEqual({ theta: 10000, headDimension: 8 });
    expect(backend.info.positionShift).toBe('exact');
    const text = '<|user|>Hello there!<|end|>';
    expect(backend.detokenize(backend.tokenize(text, { special: true }))).toBe(text);
  });

  it('refuses models whose positions cannot be shifted', async () => {
    for (const scaling of [
      { type: 'dynamic', factor: 2 } as const,
      { type: 'other', name: 'mrope' } as const,
    ]) {
      const backend = createReferenceBackend({ model: { rope: { scaling } } });
      expect(backend.info.positionShift).toBe('unsupported');
      await expect(backend.createSequence({ capacity: 8 })).rejects.toSatisfy(
        PositionShiftUnsupportedError.isInstance,
      );
    }
  });

  it('refuses options it does not know and a model that is neither a model nor its options', () => {
    const misspelt = (() => {
      try {
        createReferenceBackend({ modle: { layers: 1 } } as never);
      } catch (error) {
        return error;
      }
    })();
    expect(InvalidOptionError.isInstance(misspelt)).toBe(true);
    expect((misspelt as Error).message).toContain('did you mean model?');
    expect(() => createReferenceBackend({ model: 'tiny' as never })).toThrow(InvalidOptionError);
    expect(() => createReferenceBackend({ name: '' })).toThrow(InvalidOptionError);
  });

  it('refuses a tokenizer larger than the model vocabulary', () => {
    expect(() => createReferenceBackend({ model: { vocabularySize: 300 } })).toThrow(InvalidOptionError);
  });
});

describe('reference backend: snapshots', () => {
  it('restores bit-for-bit and refuses snapshots of another model or version', async () => {
    const model = createTinyLlama({ seed: 25, layers: 2 });
    const backend = createReferenceBackend({ model });
    const sequence = await backend.createSequence({ capacity: 64 });
    await sequence.append(randomTokens(30, model.config.vocabularySize));
    await sequence.retain(Uint32Array.of(0, 3, 4, 10, 29));
    const bytes = await sequence.snapshot();
    const restored = await backend.restoreSequence(bytes, { capacity: 16 });
    expect(await nextLogits(restored)).toEqual(await nextLogits(sequence));
    const afterRefresh = await sequence.snapshot();
    const restoredAgain = await backend.restoreSequence(afterRefresh, { capacity: 16 });
    expect(await nextLogits(restoredAgain)).toEqual(await nextLogits(sequence));

    const other = createReferenceBackend({ model: { seed: 26, layers: 2 } });
    await expect(other.restoreSequence(bytes, { capacity: 16 })).rejects.toSatisfy(
      InvalidOptionError.isInstance,
    );
    await expect(other.restoreSequence(bytes, { capacity: 16 })).rejects.toThrow(
      /belongs to model "tiny-llama:[0-9a-f]{8}", but this backend runs model "tiny-llama:[0-9a-f]{8}"/,
    );
    const futureVersion = bytes.slice();
    futureVersion[8] = 2;
    await expect(backend.restoreSequence(futureVersion, { capacity: 16 })).rejects.toThrow(
      /checksum does not match \(altered or corrupted\)/,
    );
    const view = new DataView(futureVersion.buffer);
    view.setUint32(futureVersion.length - 4, fnv1a32(futureVersion.subarray(0, -4)), true);
    await expect(backend.restoreSequence(futureVersion, { capacity: 16 })).rejects.toThrow(
      /newer version of SirLLM.*upgrade/,
    );
  });

  it('refuses forged headers against the loaded model before allocating anything', async () => {
    const model = createTinyLlama({ seed: 25, layers: 2 });
    const backend = createReferenceBackend({ model });
    const { layers, keyValueHeads, headDimension, vocabularySize } = model.config;
    const rowWidth = keyValueHeads * headDimension;
    /** A payload of the reference layout: the five u32 header fields, then `body` zero bytes. */
    const forged = (fields: number[], body = 0) => {
      const payload = new Uint8Array(20 + body);
      const view = new DataView(payload.buffer);
      fields.forEach((value, index) => {
        view.setUint32(4 * index, value, true);
      });
      return encodeSnapshotEnvelope(
        { kind: 'reference-sequence', fingerprint: backend.info.fingerprint, payloadVersion: 1 },
        payload,
      );
    };
    // Layers 0xFFFFFFFF with row width 0 and length 0: the size the header implies is 20 bytes, which
    // is what follows; reading it once looped 2³² − 1 times and ended the process out of memory.
    const started = performance.now();
    const huge = backend.restoreSequence(forged([0xffffffff, 0, vocabularySize, 0, 0]), { capacity: 16 });
    await expect(huge).rejects.toSatisfy(InvalidOptionError.isInstance);
    await expect(huge).rejects.toThrow(/4294967295 layers × 0 numbers per slot/);
    expect(performance.now() - started).toBeLessThan(1000);
    const refusals: [string, number[], number][] = [
      ['zero row width', [layers, 0, vocabularySize, 4, 0], 16],
      ['another vocabulary', [layers, rowWidth, 7, 0, 1], 56],
      ['more layers', [layers + 1, rowWidth, vocabularySize, 0, 0], 0],
    ];
    for (const [label, fields, body] of refusals) {
      const error = await backend.restoreSequence(forged(fields, body), { capacity: 16 }).catch((e) => e);
      expect(InvalidOptionError.isInstance(error), label).toBe(true);
      expect((error as InvalidOptionError).option, label).toBe('snapshot');
      expect((error as Error).message, label).toMatch(/where this model has/);
    }
    // A length of 2³² − 1 is refused for the capacity before its tokens are read.
    const long = forged([layers, rowWidth, vocabularySize, 0xffffffff, 0]);
    await expect(backend.restoreSequence(long, { capacity: 16 })).rejects.toSatisfy(
      CapacityExceededError.isInstance,
    );
  });
});

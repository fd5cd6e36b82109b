import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { PositionShiftUnsupportedError } from '../errors/position-shift-unsupported-error.js';
import { createRandom } from '../random/seeded-random.js';
import { ropeInverseFrequencies } from './inverse-frequencies.js';
import { rotateKeyRow, rotateKeyRows, rotationTable } from './rotate-keys.js';

/** RoPE applied from scratch at `position`, written from the definition (rotate-half pairs). */
function ropeAt(raw: number[], position: number, frequencies: Float64Array): number[] {
  const out = [...raw];
  const half = frequencies.length;
  for (let i = 0; i < half; i++) {
    const angle = position * (frequencies[i] as number);
    const [x, y] = [raw[i] as number, raw[i + half] as number];
    out[i] = x * Math.cos(angle) - y * Math.sin(angle);
    out[i + half] = y * Math.cos(angle) + x * Math.sin(angle);
  }
  return out;
}

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    expect(Math.abs((actual[i] as number) - (expected[i] as number))).toBeLessThanOrEqual(tolerance);
  }
};

describe('ropeInverseFrequencies', () => {
  it('default: θ^(−2i/d)', () => {
    const frequencies = ropeInverseFrequencies({ theta: 10000, headDimension: 8 });
    close(frequencies, [1, 10000 ** -0.25, 10000 ** -0.5, 10000 ** -0.75], 1e-15);
  });

  it('linear scaling divides every frequency by the factor', () => {
    const plain = ropeInverseFrequencies({ theta: 10000, headDimension: 16 });
    const scaled = ropeInverseFrequencies({
      theta: 10000,
      headDimension: 16,
      scaling: { type: 'linear', factor: 4 },
    });
    close(
      scaled,
      Array.from(plain, (frequency) => frequency / 4),
      1e-15,
    );
  });

  it('llama3 scaling matches an independent implementation of the Hugging Face formula', () => {
    // Llama 3.1: theta 500000, head 128, factor 8, low 1, high 4, original 8192. Expected values computed
    // with a separate Python transcription of transformers' _compute_llama3_parameters.
    const frequencies = ropeInverseFrequencies({
      theta: 500000,
      headDimension: 128,
      scaling: {
        type: 'llama3',
        factor: 8,
        lowFrequencyFactor: 1,
        highFrequencyFactor: 4,
        originalMaxPositionEmbeddings: 8192,
      },
    });
    const expected = [1.0, 0.016560440080994446, 3.428102195952591e-5, 3.068925988914511e-7];
    close(
      [0, 20, 40, 63].map((i) => frequencies[i] as number),
      expected,
      1e-15,
    );
  });

  it('YaRN blends interpolated and extrapolated frequencies over the correction range', () => {
    // theta 1e6, head 64, factor 4, original 32768: correction range [11, 20] (Python transcription of
    // transformers' _compute_yarn_parameters; its attention factor is not part of the rotation).
    const frequencies = ropeInverseFrequencies({
      theta: 1_000_000,
      headDimension: 64,
      scaling: { type: 'yarn', factor: 4, originalMaxPositionEmbeddings: 32768 },
    });
    const expected = [
      1.0, 0.1154781984689458, 0.01333521432163324, 4.445698525097307e-5, 3.84981631514873e-7,
    ];
    close(
      [0, 5, 10, 20, 31].map((i) => frequencies[i] as number),
      expected,
      1e-15,
    );
  });

  it('partial rotary dimensions give rotaryDimensions / 2 frequencies over the rotated part', () => {
    const frequencies = ropeInverseFrequencies({ theta: 10000, headDimension: 16, rotaryDimensions: 8 });
    close(frequencies, [1, 10000 ** -0.25, 10000 ** -0.5, 10000 ** -0.75], 1e-15);
  });

  it('refuses schemes whose keys cannot be moved, and bad settings', () => {
    expect(() =>
      ropeInverseFrequencies({ theta: 1e4, headDimension: 8, scaling: { type: 'dynamic', factor: 2 } }),
    ).toThrow(PositionShiftUnsupportedError);
    expect(() =>
      ropeInverseFrequencies({ theta: 1e4, headDimension: 8, scaling: { type: 'other', name: 'mrope' } }),
    ).toThrow(/mrope/);
    expect(() => ropeInverseFrequencies({ theta: 1e4, headDimension: 8, rotaryDimensions: 3 })).toThrow(
      InvalidOptionError,
    );
    expect(() => ropeInverseFrequencies({ theta: 0.5, headDimension: 8 })).toThrow(/rope\.theta/);
    expect(() =>
      ropeInverseFrequencies({
        theta: 1e4,
        headDimension: 8,
        scaling: { type: 'llama3', factor: 8 } as never,
      }),
    ).toThrow(/lowFrequencyFactor/);
    expect(() =>
      ropeInverseFrequencies({ theta: 1e4, headDimension: 8, scaling: { type: 'yarn', factor: 4 } as never }),
    ).toThrow(/originalMaxPositionEmbeddings/);
    expect(() =>
      ropeInverseFrequencies({
        theta: 1e4,
        headDimension: 8,
        scaling: { type: 'yarn', factor: 4, originalMaxPositionEmbeddings: 4096, betaFast: 0 },
      }),
    ).toThrow(/betaFast/);
    expect(() =>
      ropeInverseFrequencies({ theta: 1e4, headDimension: 8, scaling: { type: 'longrope' } as never }),
    ).toThrow(PositionShiftUnsupportedError);
    expect(() =>
      ropeInverseFrequencies({ theta: 1e4, headDimension: 8, scaling: { type: 'linear', factor: 0 } }),
    ).toThrow(/factor/);
  });
});

describe('rotating cached keys by a position delta', () => {
  const random = createRandom(5);
  const raw = Array.from({ length: 12 }, () => random.next() * 2 - 1);

  it('a key cached at p and moved by (q − p) equals the key computed at q', () => {
    for (const scaling of [{ type: 'none' } as const, { type: 'linear', factor: 2 } as const]) {
      const frequencies = ropeInverseFrequencies({
        theta: 10000,
        headDimension: 12,
        rotaryDimensions: 8,
        scaling,
      });
      for (const [from, to] of [
        [37, 5],
        [1000, 999],
        [4, 4],
        [3, 4000],
      ] as const) {
        const cached = Float64Array.from(ropeAt(raw, from, frequencies));
        rotateKeyRow(cached, 0, rotationTable(frequencies, to - from));
        close(cached, ropeAt(raw, to, frequencies), 1e-12);
        close(cached.subarray(8), raw.slice(8), 0); // dimensions past the rotary part never move
      }
    }
  });

  it('rotates every row of a block, in Float32 storage too', () => {
    const frequencies = ropeInverseFrequencies({ theta: 10000, headDimension: 6 });
    const rows = Float32Array.from([
      ...ropeAt(raw.slice(0, 6), 9, frequencies),
      ...ropeAt(raw.slice(6), 9, frequencies),
    ]);
    rotateKeyRows(rows, 0, 2, 6, rotationTable(frequencies, -7));
    close(rows, [...ropeAt(raw.slice(0, 6), 2, frequencies), ...ropeAt(raw.slice(6), 2, frequencies)], 1e-6);
  });
});

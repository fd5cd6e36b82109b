import { createRandom } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { standardNormal } from '../../tiny-llama/gaussian.js';
import { dequantizeBlocks, quantizeBlocks } from './quantized-blocks.js';

/** One block of 32 values: `head` then zeros. */
function block(...head: number[]): number[] {
  return [...head, ...new Array<number>(32 - head.length).fill(0)];
}

/** A block's 34 bytes: the float16 scale (little-endian) then the signed codes as bytes. */
function bytesOf(scaleBits: number, ...codes: number[]): number[] {
  const padded = [...codes, ...new Array<number>(32 - codes.length).fill(0)];
  return [scaleBits & 0xff, scaleBits >> 8, ...padded.map((code) => code & 0xff)];
}

describe('Q8_0 blocks', () => {
  it('encodes hand-worked blocks: scale max|x|/127, codes rounded half away from zero', () => {
    const values = Float32Array.from([
      // d = 127/127 = 1 (float16 0x3c00); ±0.5, 1.5 and ±2.5 are ties, rounded away from zero.
      ...block(127, -63.5, 0.5, 1.5, -0.5, 2.5, -2.5),
      // A negative maximum: d = 254/127 = 2 (0x4000); x/d = -127, 63.5 → 64, 0.5 → 1, -0.5 → -1, 1.5 → 2.
      ...block(-254, 127, 1, -1, 3),
      // All zeros: d = 0 and every code 0.
      ...block(),
    ]);
    expect(Array.from(quantizeBlocks(values, 'q8_0'))).toEqual([
      ...bytesOf(0x3c00, 127, -64, 1, 2, -1, 3, -3),
      ...bytesOf(0x4000, -127, 64, 1, -1, 2),
      ...bytesOf(0),
    ]);
  });

  it('stores the scale as float16 after computing the codes with the float32 scale', () => {
    // max 1: d = fround(1/127) rounds to float16 0x2008 = 1032·2^-17; the code of 1 is still 127.
    const bytes = quantizeBlocks(Float32Array.from(block(1, -0.5)), 'q8_0');
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x08, 0x20, 127, 0xc0]); // -0.5·127 = -63.5 → -64
    const values = dequantizeBlocks(bytes, 'q8_0');
    expect([values[0], values[1], values[2]]).toEqual([127 * 1032 * 2 ** -17, -64 * 1032 * 2 ** -17, 0]);
  });

  it('decodes within d/2 plus 127 times the float16 rounding of d of every value', () => {
    const random = createRandom(3);
    for (const magnitude of [1e-3, 0.02, 1, 300]) {
      const values = Float32Array.from({ length: 32 * 64 }, () => magnitude * standardNormal(random));
      const decoded = dequantizeBlocks(quantizeBlocks(values, 'q8_0'), 'q8_0');
      for (let start = 0; start < values.length; start += 32) {
        const row = values.subarray(start, start + 32);
        const scale = Math.max(...row.map(Math.abs)) / 127;
        for (let j = 0; j < 32; j++) {
          const error = Math.abs((decoded[start + j] as number) - (row[j] as number));
          // float16 rounds d by at most 2^-11 of it, or 2^-25 among subnormals (tiny blocks).
          const stored = 127 * Math.max(scale * 2 ** -11, 2 ** -25);
          expect(error).toBeLessThanOrEqual((scale / 2 + stored) * (1 + 1e-6));
        }
      }
    }
  });

  it('encodes its own decoded values to the same bytes', () => {
    const random = createRandom(4);
    for (const magnitude of [1e-4, 0.05, 2, 1000]) {
      const values = Float32Array.from({ length: 32 * 128 }, () => magnitude * standardNormal(random));
      const bytes = quantizeBlocks(values, 'q8_0');
      expect(quantizeBlocks(dequantizeBlocks(bytes, 'q8_0'), 'q8_0')).toEqual(bytes);
    }
  });

  it('refuses a length that is not whole blocks', () => {
    expect(() => quantizeBlocks(new Float32Array(48), 'q8_0')).toThrow(/multiple of 32/);
    expect(() => dequantizeBlocks(new Uint8Array(35), 'q8_0')).toThrow(/34 bytes/);
  });
});

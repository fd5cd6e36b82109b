import { createRandom } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { standardNormal } from '../../tiny-llama/gaussian.js';
import { dequantizeBlocks, quantizeBlocks } from './quantized-blocks.js';

/** 32 values: `low` at elements 0…, `high` at elements 16…, zeros elsewhere. */
function block(low: number[], high: number[]): number[] {
  const values = new Array<number>(32).fill(0);
  low.forEach((value, j) => {
    values[j] = value;
  });
  high.forEach((value, j) => {
    values[16 + j] = value;
  });
  return values;
}

/** A block's 18 bytes: the float16 scale (little-endian), then byte j = code j | code (j + 16) << 4. */
function bytesOf(scaleBits: number, low: number[], high: number[]): number[] {
  const codes = (given: number[]) => [...given, ...new Array<number>(16 - given.length).fill(8)];
  const lows = codes(low);
  const highs = codes(high);
  return [scaleBits & 0xff, scaleBits >> 8, ...lows.map((code, j) => code | ((highs[j] as number) << 4))];
}

describe('Q4_0 blocks', () => {
  it('encodes hand-worked blocks: d = m/−8, code min(15, trunc(x/d + 8.5)), element j + 16 in the high nibble', () => {
    const values = Float32Array.from([
      // m = −8 → d = 1 (0x3c00). Codes: −8 → 0, 1 → 9, 0.5 → 9, −0.6 → 7 (7.9), 7.6 → 16 → 15;
      // high half: 7 → 15, 0 → 8, −0.5 → 8 (8.0), 2.49 → 10 (10.99), −7.6 → 0 (0.9).
      ...block([-8, 1, 0.5, -0.6, 7.6], [7, 0, -0.5, 2.49, -7.6]),
      // A positive maximum 16 before a tied −16: m = 16 → d = −2 (0xc000); x/d: 16 → −8 → code 0,
      // −16 → 8 → 16.5 → 15 (clamped: decodes to −14), 3 → −1.5 → code 7, −3 → 1.5 → code 10.
      ...block([16, 3], [-16, -3]),
      // The tie the other way round: m = −16 → d = 2 (0x4000); 16 → 8 → clamped to 15.
      ...block([-16], [16]),
      // All zeros: d = 0/−8 = −0 (float16 0x8000, as ggml writes it) and every code 8.
      ...block([], []),
    ]);
    expect(Array.from(quantizeBlocks(values, 'q4_0'))).toEqual([
      ...bytesOf(0x3c00, [0, 9, 9, 7, 15], [15, 8, 8, 10, 0]),
      ...bytesOf(0xc000, [0, 7], [15, 10]),
      ...bytesOf(0x4000, [0], [15]),
      ...bytesOf(0x8000, [], []),
    ]);
    // (8 − 8)·d is −0 where d < 0; `+ 0` makes it 0 for the comparison.
    const decoded = Array.from(
      dequantizeBlocks(quantizeBlocks(values, 'q4_0'), 'q4_0'),
      (value) => value + 0,
    );
    expect(decoded.slice(0, 32)).toEqual(block([-8, 1, 1, -1, 7], [7, 0, 0, 2, -8]));
    expect(decoded.slice(32, 64)).toEqual(block([16, 2], [-14, -4]));
    expect(decoded.slice(64, 96)).toEqual(block([-16], [14]));
    expect(decoded.slice(96)).toEqual(block([], []));
  });

  it('decodes within d/2 (d = |m|/8) of every value, or within d where the code was clamped at 15', () => {
    const random = createRandom(5);
    for (const magnitude of [1e-3, 0.02, 1, 300]) {
      const values = Float32Array.from({ length: 32 * 64 }, () => magnitude * standardNormal(random));
      const decoded = dequantizeBlocks(quantizeBlocks(values, 'q4_0'), 'q4_0');
      for (let start = 0; start < values.length; start += 32) {
        const row = Array.from(values.subarray(start, start + 32));
        const largest = row.reduce((best, value) => (Math.abs(value) > Math.abs(best) ? value : best), 0);
        const scale = largest / -8;
        // The float16 rounding of d (relative 2^-11, absolute 2^-25 among subnormals), times codes up to 8.
        const stored = 8 * Math.max(Math.abs(scale) * 2 ** -11, 2 ** -25);
        for (let j = 0; j < 32; j++) {
          const value = row[j] as number;
          const clamped = value / scale + 8.5 >= 16;
          const error = Math.abs((decoded[start + j] as number) - value);
          expect(error).toBeLessThanOrEqual((Math.abs(scale) * (clamped ? 1 : 0.5) + stored) * (1 + 1e-6));
        }
      }
    }
  });

  it('encodes its own decoded values to the same bytes', () => {
    const random = createRandom(6);
    for (const magnitude of [1e-4, 0.05, 2, 1000]) {
      const values = Float32Array.from({ length: 32 * 128 }, () => magnitude * standardNormal(random));
      const bytes = quantizeBlocks(values, 'q4_0');
      expect(quantizeBlocks(dequantizeBlocks(bytes, 'q4_0'), 'q4_0')).toEqual(bytes);
    }
  });

  it('refuses a length that is not whole blocks', () => {
    expect(() => quantizeBlocks(new Float32Array(40), 'q4_0')).toThrow(/multiple of 32/);
    expect(() => dequantizeBlocks(new Uint8Array(20), 'q4_0')).toThrow(/18 bytes/);
  });
});

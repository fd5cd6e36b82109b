import { createRandom } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { floatToHalf, halfOfFloatBits, halfToFloat } from '../src/float16.js';

/** Round-to-nearest-even to half precision, computed from the definition with plain arithmetic. */
function referenceHalf(value: number): number {
  if (Number.isNaN(value)) return Number.NaN;
  const magnitude = Math.abs(value);
  if (magnitude >= 65520) return Math.sign(value) * Number.POSITIVE_INFINITY;
  const exponent = Math.max(Math.floor(Math.log2(magnitude || 2 ** -24)), -14);
  const step = 2 ** (exponent - 10);
  const scaled = magnitude / step;
  const floor = Math.floor(scaled);
  const rest = scaled - floor;
  const rounded = rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return Math.sign(value) * rounded * step || (Object.is(value, -0) || value < 0 ? -0 : 0);
}

describe('float16 bits', () => {
  it('decodes every bit pattern and encodes it back unchanged', () => {
    for (let bits = 0; bits < 65536; bits++) {
      const value = halfToFloat[bits] as number;
      if (Number.isNaN(value)) {
        expect(Number.isNaN(halfToFloat[floatToHalf(value)] as number)).toBe(true);
        continue;
      }
      expect(floatToHalf(value)).toBe(bits);
    }
  });

  it('rounds to nearest even, like the definition, on both paths', () => {
    const scratch = new Float32Array(1);
    const words = new Uint32Array(scratch.buffer);
    const samples = [
      1 + 2 ** -11,
      1 + 3 * 2 ** -11,
      65504,
      65519,
      65520,
      2 ** -25,
      3 * 2 ** -26,
      6.1e-5,
      -0.1,
      1e-8,
      -70000,
    ];
    const random = createRandom(3);
    for (let i = 0; i < 20000; i++) samples.push((random.next() - 0.5) * 2 ** (random.next() * 40 - 24));
    for (const sample of samples) {
      scratch[0] = sample;
      const value = scratch[0] as number;
      const expected = referenceHalf(value);
      expect(halfToFloat[floatToHalf(value)]).toBe(expected);
      expect(halfToFloat[halfOfFloatBits(words[0] as number, value)]).toBe(expected);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { float16Bits, float16Value, roundToFloat16 } from '../gguf/float16.js';
import { createTinyLlama } from './create-tiny-llama.js';
import { withFloat16Matrices } from './float16-matrices.js';

describe('float16 values', () => {
  it('decodes every half-precision pattern to a value that encodes back to it', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = float16Value(bits);
      if (Number.isNaN(value)) expect((bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0).toBe(true);
      else expect(float16Bits(value)).toBe(bits);
    }
    // Hand-worked: 1, the largest normal, the smallest subnormal, -2.
    expect([float16Value(0x3c00), float16Value(0x7bff), float16Value(0x0001), float16Value(0xc000)]).toEqual([
      1,
      65504,
      2 ** -24,
      -2,
    ]);
  });

  it('rounds to the nearest half-precision value, ties to even', () => {
    const rounded = roundToFloat16(Float32Array.from([1 + 2 ** -11, 1 + 3 * 2 ** -11, 0.1, 1e-9]));
    expect(Array.from(rounded)).toEqual([1, 1 + 2 ** -9, Math.fround(0.0999755859375), 0]);
  });
});

describe('withFloat16Matrices', () => {
  it('rounds every matrix to float16 values and leaves the norm vectors as they are', () => {
    const model = createTinyLlama({ layers: 1 });
    const rounded = withFloat16Matrices(model);
    expect(rounded.config).toBe(model.config);
    expect([...rounded.tensors.keys()]).toEqual([...model.tensors.keys()]);
    let changed = 0;
    for (const [name, tensor] of model.tensors) {
      const after = rounded.tensors.get(name)?.data as Float32Array;
      if (tensor.shape.length === 1) {
        expect(after).toBe(tensor.data);
        continue;
      }
      for (let i = 0; i < after.length; i++) {
        const before = tensor.data[i] as number;
        const value = after[i] as number;
        // Representable in half precision, and within half a unit in the last place of it.
        expect(float16Value(float16Bits(value))).toBe(value);
        expect(Math.abs(value - before)).toBeLessThanOrEqual(Math.abs(before) * 2 ** -11 + 2 ** -25);
        if (value !== before) changed++;
      }
    }
    expect(changed).toBeGreaterThan(0);
  });
});

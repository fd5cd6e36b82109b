import { InvalidOptionError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { createTinyLlama } from '../../tiny-llama/create-tiny-llama.js';
import { withQuantizedMatrices } from '../../tiny-llama/quantized-matrices.js';
import { readGguf } from '../read-gguf.test-helper.js';
import { tinyLlamaToGguf } from '../tiny-llama-gguf.js';
import { ggufFileType, writeGguf } from '../write-gguf.js';

describe('quantized tensors in GGUF files', () => {
  it('writes Q8_0 and Q4_0 tensors with ggml type ids 8 and 2, one block run per row', () => {
    // Two rows of 32: row 0 is 1, 2, …, 32; row 1 is −64 then zeros.
    const rows = Float32Array.from({ length: 64 }, (_, i) => (i < 32 ? i + 1 : i === 32 ? -64 : 0));
    const bytes = writeGguf({
      metadata: [],
      tensors: [
        { name: 'eight', dimensions: [32, 2], type: 'q8_0', data: rows },
        { name: 'four', dimensions: [32, 2], type: 'q4_0', data: rows },
      ],
    });
    const parsed = readGguf(bytes);
    // Q8_0: 2 blocks of 34 bytes = 68, padded to 96 before the next tensor.
    expect(parsed.tensors.map(({ name, type, offset }) => [name, type, offset])).toEqual([
      ['eight', 8, 0],
      ['four', 2, 96],
    ]);
    const data = bytes.subarray(parsed.dataStart);
    const view = new DataView(data.buffer, data.byteOffset);
    // Q8_0 row 0: d = 32/127; code of x is round(127·x/32): 1 → 3.97 → 4, 16 → 63.5 → 64, 32 → 127.
    expect(view.getUint16(0, true)).toBe(0x3408); // float16 of 32/127 = 0.25197: 2^-2 · (1 + 8/1024)
    expect([view.getInt8(2), view.getInt8(2 + 15), view.getInt8(2 + 31)]).toEqual([4, 64, 127]);
    // Q8_0 row 1 (second block, byte 34): d = 64/127, codes −127 then 0.
    expect([view.getInt8(36), view.getInt8(37)]).toEqual([-127, 0]);
    // Q4_0 row 0: m = 32, d = −4 (0xc400); 1 → −0.25 + 8.5 → 8, 17 → −4.25 + 8.5 → 4; 32 → 0, 16 → 4.5 → 4.
    expect(view.getUint16(96, true)).toBe(0xc400);
    expect(view.getUint8(98)).toBe(8 | (4 << 4));
    expect(view.getUint8(98 + 15)).toBe(4 | (0 << 4));
    // Q4_0 row 1 (byte 96 + 18): m = −64, d = 8 (0x4800); −64 → 0, zeros → 8.
    expect(view.getUint16(114, true)).toBe(0x4800);
    expect([view.getUint8(116), view.getUint8(117)]).toEqual([0 | (8 << 4), 0x88]);
  });

  it('refuses a quantized tensor whose rows are not whole blocks, naming it', () => {
    const tensor = {
      name: 'blk.0.narrow',
      dimensions: [16, 4],
      type: 'q8_0',
      data: new Float32Array(64),
    } as const;
    expect(() => writeGguf({ metadata: [], tensors: [tensor] })).toThrow(InvalidOptionError);
    expect(() => writeGguf({ metadata: [], tensors: [tensor] })).toThrow(/blk\.0\.narrow.*multiple of 32/);
    expect(() => writeGguf({ metadata: [], tensors: [{ ...tensor, type: 'q4_0' }] })).toThrow(/got 16/);
  });

  it('writes general.file_type MOSTLY_Q8_0 (7) and MOSTLY_Q4_0 (2)', () => {
    expect([ggufFileType('q8_0'), ggufFileType('q4_0')]).toEqual([7, 2]);
  });

  for (const [type, id] of [
    ['q8_0', 8],
    ['q4_0', 2],
  ] as const) {
    it(`stores a tiny Llama's matrices as ${type} and its norms as f32; the file holds withQuantizedMatrices' values`, () => {
      const model = createTinyLlama({ seed: 9, layers: 1 });
      const bytes = tinyLlamaToGguf(model, { tensorType: type, chatTemplate: false });
      const parsed = readGguf(bytes);
      expect(parsed.metadata.get('general.file_type')).toBe(ggufFileType(type));
      for (const tensor of parsed.tensors) expect(tensor.type).toBe(tensor.dimensions.length >= 2 ? id : 0);

      // attn_v is stored unpermuted: decode its bytes here, independently of the dequantizer.
      const value = parsed.tensors.find((tensor) => tensor.name === 'blk.0.attn_v.weight');
      if (!value) throw new Error('no blk.0.attn_v.weight in the file');
      const [columns, rows] = value.dimensions as [number, number];
      const start = parsed.dataStart + value.offset;
      const view = new DataView(bytes.buffer, bytes.byteOffset + start);
      const decoded: number[] = [];
      const blockBytes = type === 'q8_0' ? 34 : 18;
      for (let block = 0; block < (rows * columns) / 32; block++) {
        const at = block * blockBytes;
        const scale = halfValue(view.getUint16(at, true));
        for (let j = 0; j < 32; j++) {
          const code =
            type === 'q8_0'
              ? view.getInt8(at + 2 + j)
              : ((view.getUint8(at + 2 + (j % 16)) >> (j < 16 ? 0 : 4)) & 0xf) - 8;
          decoded.push(code * scale);
        }
      }
      const quantized = withQuantizedMatrices(model, type);
      expect(Array.from(quantized.tensors.get('model.layers.0.self_attn.v_proj.weight')?.data ?? [])).toEqual(
        decoded,
      );
    });
  }

  it('withQuantizedMatrices keeps vectors, moves each matrix value by at most one step, and refuses odd widths', () => {
    const model = createTinyLlama({ seed: 10, layers: 1 });
    for (const [type, steps] of [
      ['q8_0', 127],
      ['q4_0', 8],
    ] as const) {
      const quantized = withQuantizedMatrices(model, type);
      expect(quantized.config).toBe(model.config);
      for (const [name, tensor] of model.tensors) {
        const after = quantized.tensors.get(name);
        if (tensor.shape.length === 1) {
          expect(after).toBe(tensor);
          continue;
        }
        const data = after?.data as Float32Array;
        let changed = 0;
        for (let start = 0; start < data.length; start += 32) {
          const largest = Math.max(...tensor.data.subarray(start, start + 32).map(Math.abs));
          for (let j = start; j < start + 32; j++) {
            expect(Math.abs((data[j] as number) - (tensor.data[j] as number))).toBeLessThanOrEqual(
              (largest / steps) * 1.01,
            );
            if (data[j] !== tensor.data[j]) changed++;
          }
        }
        expect(changed).toBeGreaterThan(0);
      }
    }
    const narrow = createTinyLlama({ hiddenSize: 48, attentionHeads: 4 });
    expect(() => withQuantizedMatrices(narrow, 'q8_0')).toThrow(
      /model\.embed_tokens\.weight.*multiple of 32/,
    );
  });
});

/** The value of float16 bits (normal and subnormal; no infinities in these files). */
function halfValue(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  return exponent === 0 ? sign * mantissa * 2 ** -24 : sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

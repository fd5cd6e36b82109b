import { describe, expect, it } from 'vitest';
import { testkitChatTemplateJinja } from '../onnx/tokenizer-json.js';
import { createTinyLlama } from '../tiny-llama/create-tiny-llama.js';
import { createTokenizer } from '../tokenizer/create-tokenizer.js';
import { float16Bits } from './float16.js';
import { readGguf } from './read-gguf.test-helper.js';
import { permuteRowsForGgmlRope } from './rope-row-permutation.js';
import { tinyLlamaToGguf } from './tiny-llama-gguf.js';
import { writeGguf } from './write-gguf.js';

describe('writeGguf', () => {
  it('writes a GGUF v3 header, typed metadata, tensor infos and aligned data', () => {
    const bytes = writeGguf({
      metadata: [
        ['general.architecture', { type: 'string', value: 'llama' }],
        ['answer', { type: 'uint32', value: 42 }],
        ['flag', { type: 'bool', value: true }],
        ['scale', { type: 'float32', value: 0.5 }],
        ['names', { type: 'array', itemType: 'string', values: ['a', 'βc'] }],
        ['ids', { type: 'array', itemType: 'int32', values: [-1, 7] }],
      ],
      tensors: [
        { name: 'a', dimensions: [3], type: 'f32', data: Float32Array.of(1, 2, 3) },
        { name: 'b', dimensions: [2, 2], type: 'f16', data: Float32Array.of(1, -2, 0.5, 65504) },
      ],
    });
    const parsed = readGguf(bytes);
    expect(parsed.version).toBe(3);
    expect(Object.fromEntries(parsed.metadata)).toEqual({
      'general.architecture': 'llama',
      answer: 42,
      flag: true,
      scale: 0.5,
      names: ['a', 'βc'],
      ids: [-1, 7],
      'general.alignment': 32,
    });
    expect(parsed.tensors).toEqual([
      { name: 'a', dimensions: [3], type: 0, offset: 0 },
      { name: 'b', dimensions: [2, 2], type: 1, offset: 32 },
    ]);
    expect(parsed.dataStart % 32).toBe(0);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect([0, 1, 2].map((i) => view.getFloat32(parsed.dataStart + 4 * i, true))).toEqual([1, 2, 3]);
    expect([0, 1, 2, 3].map((i) => view.getUint16(parsed.dataStart + 32 + 2 * i, true))).toEqual([
      0x3c00, 0xc000, 0x3800, 0x7bff,
    ]);
    expect(bytes.length % 32).toBe(0);
  });

  it('refuses dimensions that do not match the data', () => {
    expect(() =>
      writeGguf({
        metadata: [],
        tensors: [{ name: 'x', dimensions: [2, 2], type: 'f32', data: new Float32Array(3) }],
      }),
    ).toThrow(/dimensions/);
  });
});

describe('float16Bits', () => {
  it('rounds to nearest even, with subnormals, overflow and NaN', () => {
    expect(float16Bits(0)).toBe(0);
    expect(float16Bits(-0)).toBe(0x8000);
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(0.1)).toBe(0x2e66);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(65520)).toBe(0x7c00); // rounds up to infinity
    expect(float16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float16Bits(2 ** -26)).toBe(0); // below half of it
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00); // a tie goes to the even mantissa
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float16Bits(Number.POSITIVE_INFINITY)).toBe(0x7c00);
    expect(float16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
  });
});

describe('permuteRowsForGgmlRope', () => {
  it('interleaves the two rotary halves of each head and keeps other rows', () => {
    // 2 heads × head size 6 with 4 rotary dims; each row holds its own index.
    const data = Float32Array.from({ length: 12 }, (_, row) => row);
    expect(Array.from(permuteRowsForGgmlRope(data, 2, 6, 4))).toEqual([0, 2, 1, 3, 4, 5, 6, 8, 7, 9, 10, 11]);
  });
});

describe('tinyLlamaToGguf', () => {
  it('writes llama metadata, the byte-level vocabulary, merges and every tensor', () => {
    const model = createTinyLlama({ seed: 3, layers: 2, tiedEmbeddings: false });
    const tokenizer = createTokenizer();
    const parsed = readGguf(tinyLlamaToGguf(model));
    const { metadata } = parsed;
    expect(metadata.get('general.architecture')).toBe('llama');
    expect(metadata.get('llama.block_count')).toBe(2);
    expect(metadata.get('llama.attention.head_count')).toBe(4);
    expect(metadata.get('llama.attention.head_count_kv')).toBe(2);
    expect(metadata.get('llama.rope.dimension_count')).toBe(8);
    expect(metadata.get('tokenizer.ggml.model')).toBe('gpt2');
    const tokens = metadata.get('tokenizer.ggml.tokens') as string[];
    expect(tokens.length).toBe(model.config.vocabularySize);
    expect(tokens[32]).toBe('Ġ'); // byte 0x20 in GPT-2's byte-level form
    expect(tokens[tokenizer.specialTokenId('<|user|>')]).toBe('<|user|>');
    expect((metadata.get('tokenizer.ggml.merges') as string[]).length).toBe(tokenizer.merges.length);
    expect(metadata.get('tokenizer.chat_template')).toBe(testkitChatTemplateJinja);
    expect(parsed.tensors.map((tensor) => tensor.name)).toEqual([
      'token_embd.weight',
      ...[0, 1].flatMap((layer) =>
        [
          'attn_norm',
          'attn_q',
          'attn_k',
          'attn_v',
          'attn_output',
          'ffn_norm',
          'ffn_gate',
          'ffn_up',
          'ffn_down',
        ].map((name) => `blk.${layer}.${name}.weight`),
      ),
      'output_norm.weight',
      'output.weight',
    ]);
    const embedding = parsed.tensors[0];
    expect(embedding?.dimensions).toEqual([model.config.hiddenSize, model.config.vocabularySize]);
  });

  it('stores matrices as f16 on request, norms as f32, and pads the vocabulary with unused tokens', () => {
    const model = createTinyLlama({ seed: 4, vocabularySize: 1000 });
    const parsed = readGguf(tinyLlamaToGguf(model, { tensorType: 'f16', chatTemplate: false }));
    const types = Object.fromEntries(parsed.tensors.map((tensor) => [tensor.name, tensor.type]));
    expect(types['token_embd.weight']).toBe(1);
    expect(types['blk.0.attn_norm.weight']).toBe(0);
    const tokenTypes = parsed.metadata.get('tokenizer.ggml.token_type') as number[];
    expect(tokenTypes.length).toBe(1000);
    expect(tokenTypes[999]).toBe(5);
    expect(parsed.metadata.has('tokenizer.chat_template')).toBe(false);
  });

  it('refuses RoPE scalings GGUF cannot express here', () => {
    const model = createTinyLlama({ rope: { scaling: { type: 'dynamic', factor: 2 } } });
    expect(() => tinyLlamaToGguf(model)).toThrow(/rope.scaling/);
  });
});

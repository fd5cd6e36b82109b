import { describe, expect, it } from 'vitest';
import { createTinyLlama } from '../tiny-llama/create-tiny-llama.js';
import { createTokenizer } from '../tokenizer/create-tokenizer.js';
import { huggingFaceConfig } from './hugging-face-config.js';
import { writeLlamaOnnx } from './llama-onnx-graph.js';
import { ProtobufWriter } from './protobuf-writer.js';
import { readFields, text } from './read-onnx.test-helper.js';
import { tokenizerConfigJson, tokenizerJson } from './tokenizer-json.js';
import { transformersModelFiles } from './transformers-model-files.js';

describe('ProtobufWriter', () => {
  it('encodes varints, negative int64, strings and packed integers as the wire format specifies', () => {
    expect(Array.from(new ProtobufWriter().integer(1, 300).finish())).toEqual([0x08, 0xac, 0x02]);
    const negative = new ProtobufWriter().integer(2, -1).finish();
    expect(negative.length).toBe(11);
    expect(Array.from(negative)).toEqual([0x10, ...Array(9).fill(0xff), 0x01]);
    expect(Array.from(new ProtobufWriter().string(3, 'hi').finish())).toEqual([0x1a, 2, 0x68, 0x69]);
    expect(Array.from(new ProtobufWriter().packedIntegers(4, [1, 150]).finish())).toEqual([
      0x22, 3, 1, 0x96, 1,
    ]);
    const big = new Uint8Array(10000).fill(7);
    const message = new ProtobufWriter().integer(1, 1).bytes(2, big).integer(3, 2).finish();
    const fields = readFields(message);
    expect((fields.get(2)?.[0] as Uint8Array | undefined)?.length).toBe(10000);
    expect(fields.get(3)?.[0]).toBe(2n);
  });
});

describe('writeLlamaOnnx', () => {
  const model = createTinyLlama({ layers: 2 });
  const graphOf = (bytes: Uint8Array) => readFields(readFields(bytes).get(7)?.[0] as Uint8Array);
  const namesOf = (values: (bigint | Uint8Array)[] | undefined) =>
    (values ?? []).map((value) => text(readFields(value as Uint8Array).get(1)?.[0]));

  it('position-ids style: the transformers.js decoder interface and standard operators only', () => {
    const bytes = writeLlamaOnnx(model);
    const fields = readFields(bytes);
    expect(fields.get(1)?.[0]).toBe(8n);
    const opsets = (fields.get(8) ?? []).map((value) => text(readFields(value as Uint8Array).get(1)?.[0]));
    expect(opsets).toEqual(['']);
    const graph = graphOf(bytes);
    expect(namesOf(graph.get(11))).toEqual([
      'input_ids',
      'attention_mask',
      'position_ids',
      'past_key_values.0.key',
      'past_key_values.0.value',
      'past_key_values.1.key',
      'past_key_values.1.value',
    ]);
    expect(namesOf(graph.get(12))).toEqual([
      'present.0.key',
      'present.0.value',
      'present.1.key',
      'present.1.value',
      'logits',
    ]);
    const operators = new Set(
      (graph.get(1) ?? []).map((node) => text(readFields(node as Uint8Array).get(4)?.[0])),
    );
    expect(operators.has('GroupQueryAttention')).toBe(false);
    expect(operators.has('Softmax')).toBe(true);
  });

  it('group-query-attention style: fused attention in com.microsoft and no position_ids', () => {
    const bytes = writeLlamaOnnx(model, { style: 'group-query-attention', cacheType: 'float16' });
    const opsets = (readFields(bytes).get(8) ?? []).map((value) =>
      text(readFields(value as Uint8Array).get(1)?.[0]),
    );
    expect(opsets).toContain('com.microsoft');
    const graph = graphOf(bytes);
    expect(namesOf(graph.get(11))).not.toContain('position_ids');
    const nodes = (graph.get(1) ?? []).map((node) => readFields(node as Uint8Array));
    const fused = nodes.filter((node) => text(node.get(4)?.[0]) === 'GroupQueryAttention');
    expect(fused.length).toBe(2);
    expect(text(fused[0]?.get(7)?.[0])).toBe('com.microsoft');
    // The cache inputs are float16 (elem_type 10).
    const input = readFields(graph.get(11)?.[3] as Uint8Array);
    const tensorType = readFields(readFields(input.get(2)?.[0] as Uint8Array).get(1)?.[0] as Uint8Array);
    expect(tensorType.get(1)?.[0]).toBe(10n);
  });
});

describe('model folder files', () => {
  const tokenizer = createTokenizer();

  it('tokenizer.json holds every byte and merge token in byte-level text, the merges in rank order, and the specials', () => {
    const json = JSON.parse(tokenizerJson(tokenizer));
    const vocabulary = tokenizer.vocabulary();
    expect(json.model.type).toBe('BPE');
    expect(Object.keys(json.model.vocab).length).toBe(256 + tokenizer.merges.length);
    for (const entry of vocabulary.filter((item) => item.kind !== 'special')) {
      expect(json.model.vocab[entry.text]).toBe(entry.id);
    }
    expect(json.model.merges.length).toBe(tokenizer.merges.length);
    const [left, right] = tokenizer.merges[0] ?? [0, 0];
    expect(json.model.merges[0]).toEqual([vocabulary[left]?.text, vocabulary[right]?.text]);
    expect(
      json.added_tokens.map((token: { content: string; id: number }) => [token.content, token.id]),
    ).toEqual(tokenizer.specialTokens.map(({ text: content, id }) => [content, id]));
    expect(json.pre_tokenizer.type).toBe('ByteLevel');
    const config = JSON.parse(tokenizerConfigJson(tokenizer, 4096));
    expect(config.add_bos_token).toBe(false);
    expect(config.chat_template).toContain('<|assistant|>');
  });

  it('config.json carries the architecture, special ids and RoPE settings in Hugging Face keys', () => {
    const scaled = createTinyLlama({
      hiddenSize: 64,
      rope: {
        theta: 500000,
        rotaryDimensions: 8,
        scaling: { type: 'yarn', factor: 4, originalMaxPositionEmbeddings: 512 },
      },
    });
    const config = JSON.parse(huggingFaceConfig(scaled.config, tokenizer));
    expect(config).toMatchObject({
      model_type: 'llama',
      num_hidden_layers: 1,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      head_dim: 16,
      vocab_size: scaled.config.vocabularySize,
      rope_theta: 500000,
      partial_rotary_factor: 0.5,
      rope_scaling: { rope_type: 'yarn', factor: 4, original_max_position_embeddings: 512 },
      bos_token_id: tokenizer.specialTokenId('<s>'),
    });
  });

  it('names the ONNX file after the cache type, as transformers.js looks it up by dtype', () => {
    const model = createTinyLlama();
    expect([...transformersModelFiles(model).keys()]).toEqual([
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/model.onnx',
    ]);
    expect(transformersModelFiles(model, { cacheType: 'float16' }).has('onnx/model_fp16.onnx')).toBe(true);
  });
});

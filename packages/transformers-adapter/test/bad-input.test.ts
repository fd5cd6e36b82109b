import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidOptionError, PositionShiftUnsupportedError } from '@sirllm/core';
import { createTinyLlama, OnnxGraphBuilder, onnxDataType } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import { createTransformersBackend } from '../src/index.js';
import { stayOffline, writeTestModel } from './write-test-model.js';

await stayOffline();

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('refusals with typed, actionable errors', () => {
  const model = createTinyLlama();

  it('a folder without config.json', async () => {
    const folder = writeTestModel(model);
    try {
      rmSync(join(folder.path, 'config.json'));
      const error = await rejection(createTransformersBackend({ model: folder.path }));
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(/config\.json/);
    } finally {
      folder.remove();
    }
  });

  it('a folder without the ONNX file of the requested dtype', async () => {
    const folder = writeTestModel(model);
    try {
      const error = await rejection(createTransformersBackend({ model: folder.path, dtype: 'q4' }));
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(/onnx\/model_q4\.onnx.*found: model\.onnx/);
      rmSync(join(folder.path, 'onnx'), { recursive: true });
      const missing = await rejection(createTransformersBackend({ model: folder.path }));
      expect(String((missing as Error).message)).toMatch(/no onnx\/ folder/);
    } finally {
      folder.remove();
    }
  });

  it('a path that does not exist, and bad options', async () => {
    const missing = await rejection(createTransformersBackend({ model: './no/such/model' }));
    expect(InvalidOptionError.isInstance(missing)).toBe(true);
    const folder = writeTestModel(model);
    try {
      const badDtype = await rejection(
        createTransformersBackend({ model: folder.path, dtype: 'int3' as 'q4' }),
      );
      expect((badDtype as InvalidOptionError).option).toBe('dtype');
      const badChunk = await rejection(createTransformersBackend({ model: folder.path, chunkSize: 0 }));
      expect((badChunk as InvalidOptionError).option).toBe('chunkSize');
      for (const [option, value] of [
        ['rotateFromOriginalKeys', 'yes'],
        ['maximumCapacity', 0],
        ['name', ''],
        ['runtime', 'gpu'],
      ] as const) {
        const error = await rejection(
          createTransformersBackend({ model: folder.path, [option]: value } as never),
        );
        expect(InvalidOptionError.isInstance(error)).toBe(true);
        expect((error as InvalidOptionError).option).toBe(option);
      }
      // Plain JavaScript slips: the llama.cpp option name, a missing options object.
      const slip = await rejection(createTransformersBackend({ modelPath: folder.path } as never));
      expect((slip as InvalidOptionError).option).toBe('modelPath');
      expect((slip as Error).message).toContain('did you mean model?');
      const nothing = await rejection(createTransformersBackend(undefined as never));
      expect(InvalidOptionError.isInstance(nothing)).toBe(true);
    } finally {
      folder.remove();
    }
  });

  it('unsupported RoPE schemes are refused when a sequence is created', async () => {
    for (const [scaling, pattern] of [
      [{ rope_type: 'dynamic', factor: 2 }, /dynamic NTK/],
      [{ rope_type: 'longrope', factor: 2 }, /longrope/],
    ] as const) {
      const folder = writeTestModel(model);
      try {
        const configPath = join(folder.path, 'config.json');
        const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
        writeFileSync(configPath, JSON.stringify({ ...config, rope_scaling: scaling }));
        const backend = await createTransformersBackend({ model: folder.path, threads: 1 });
        expect(backend.info.positionShift).toBe('unsupported');
        const error = await rejection(backend.createSequence({ capacity: 8 }));
        expect(PositionShiftUnsupportedError.isInstance(error)).toBe(true);
        expect(String((error as Error).message)).toMatch(pattern);
        await backend.dispose();
      } finally {
        folder.remove();
      }
    }
  });

  it('a cache not laid out [batch, kv_heads, sequence, head_dim]', async () => {
    const folder = writeTestModel(model);
    try {
      // A graph with the right names but a [batch, sequence, kv_heads, head_dim] cache.
      const { keyValueHeads, headDimension, vocabularySize } = model.config;
      const graph = new OnnxGraphBuilder();
      graph.input('input_ids', onnxDataType.int64, ['batch_size', 'sequence_length']);
      graph.input('attention_mask', onnxDataType.int64, ['batch_size', 'total_sequence_length']);
      const shape = ['batch_size', 'past_sequence_length', keyValueHeads, headDimension];
      const key = graph.input('past_key_values.0.key', onnxDataType.float, shape);
      const value = graph.input('past_key_values.0.value', onnxDataType.float, shape);
      graph.one('Identity', [key], {}, 'present.0.key');
      graph.one('Identity', [value], {}, 'present.0.value');
      const logits = graph.floats(
        'constant_logits',
        [1, 1, vocabularySize],
        new Float32Array(vocabularySize),
      );
      graph.one('Identity', [logits], {}, 'logits');
      graph.output('present.0.key', onnxDataType.float, shape);
      graph.output('present.0.value', onnxDataType.float, shape);
      graph.output('logits', onnxDataType.float, [1, 1, vocabularySize]);
      writeFileSync(join(folder.path, 'onnx', 'model.onnx'), graph.encode('wrong-layout'));
      const error = await rejection(createTransformersBackend({ model: folder.path, threads: 1 }));
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(/\[batch, kv_heads = 2, sequence, head_dim = 8\]/);
    } finally {
      folder.remove();
    }
  });

  it('snapshots of another model are refused, and the refusal changes nothing', async () => {
    const first = writeTestModel(createTinyLlama({ seed: 1 }));
    const second = writeTestModel(createTinyLlama({ seed: 2 }));
    try {
      const one = await createTransformersBackend({ model: first.path, threads: 1 });
      const two = await createTransformersBackend({ model: second.path, threads: 1 });
      expect(one.info.fingerprint).not.toBe(two.info.fingerprint);
      const sequence = await one.createSequence({ capacity: 16 });
      await sequence.append([1, 2, 3, 4]);
      const bytes = await sequence.snapshot();
      const error = await rejection(two.restoreSequence(bytes, { capacity: 16 }));
      expect(InvalidOptionError.isInstance(error)).toBe(true);
      expect(String((error as Error).message)).toMatch(
        /belongs to model ".+", but this backend runs model ".+" \(the model fingerprints differ\)/,
      );
      const restored = await one.restoreSequence(bytes, { capacity: 16 });
      expect(Array.from(restored.residentTokens())).toEqual([1, 2, 3, 4]);
      await one.dispose();
      await two.dispose();
    } finally {
      first.remove();
      second.remove();
    }
  });
});

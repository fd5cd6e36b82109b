import { BackendError } from '@sirllm/core';
import { describe, expect, it, vi } from 'vitest';
import { DecoderRunner, type TensorLike, type TransformersRuntime } from '../src/decoder-runner.js';
import { KeyValueStore } from '../src/key-value-store.js';

// On WebGPU transformers.js leaves `present.*` in GPU buffers, whose `data` throws: the runner downloads
// them with `ort_tensor.getData(true)` (which frees the GPU copy), and frees every GPU output when the
// forward pass fails its checks. A fake runtime stands in for the GPU.

const layout = { layers: 2, keyValueHeads: 1, headDimension: 2, type: 'float32' as const, positionIds: true };
const vocabularySize = 3;

function gpuTensor(values: number[], dims: number[]) {
  const getData = vi.fn(async (release?: boolean) => {
    expect(release).toBe(true);
    tensor.location = 'cpu';
    return Float32Array.from(values);
  });
  const tensor = {
    type: 'float32',
    dims,
    location: 'gpu-buffer',
    get data(): never {
      throw new Error('The data is not on CPU. Use `getData()` to download GPU data to CPU');
    },
    ort_tensor: { getData },
    dispose: vi.fn(() => {
      throw new Error('dispose failed'); // must not hide the runner's own error
    }),
  };
  return tensor;
}

function runtimeReturning(outputs: Record<string, unknown>): TransformersRuntime {
  return {
    Tensor: class {
      constructor(
        readonly type: string,
        readonly data: unknown,
        readonly dims: number[],
      ) {}
    } as unknown as TransformersRuntime['Tensor'],
    model: { forward: async () => outputs as Record<string, TensorLike> },
  };
}

const emptyStore = () => KeyValueStore.empty(layout, false);

describe('DecoderRunner with outputs in GPU buffers', () => {
  it('downloads every present tensor (freeing the GPU copy) and reads CPU logits as they are', async () => {
    const logits = { type: 'float32', dims: [1, 1, 3], location: 'cpu', data: Float32Array.of(1, 2, 3) };
    const presents = {
      'present.0.key': gpuTensor([1, 2], [1, 1, 1, 2]),
      'present.0.value': gpuTensor([3, 4], [1, 1, 1, 2]),
      'present.1.key': gpuTensor([5, 6], [1, 1, 1, 2]),
      'present.1.value': gpuTensor([7, 8], [1, 1, 1, 2]),
    };
    const runner = new DecoderRunner(runtimeReturning({ logits, ...presents }), layout, vocabularySize);
    const result = await runner.forward([0], emptyStore());
    expect([...result.logits]).toEqual([1, 2, 3]);
    expect(result.presentKeys.map((keys) => [...keys])).toEqual([
      [1, 2],
      [5, 6],
    ]);
    expect(result.presentValues.map((values) => [...values])).toEqual([
      [3, 4],
      [7, 8],
    ]);
    for (const tensor of Object.values(presents)) expect(tensor.ort_tensor.getData).toHaveBeenCalledTimes(1);
  });

  it('a wrongly shaped output: nothing is downloaded, every GPU output is freed, the error says which', async () => {
    const logits = { type: 'float32', dims: [1, 1, 3], location: 'cpu', data: Float32Array.of(1, 2, 3) };
    const presents = {
      'present.0.key': gpuTensor([1, 2], [1, 1, 1, 2]),
      'present.0.value': gpuTensor([3, 4], [1, 1, 1, 2]),
      'present.1.key': gpuTensor([5, 6, 0, 0], [1, 1, 2, 2]),
      'present.1.value': gpuTensor([7, 8], [1, 1, 1, 2]),
    };
    const runner = new DecoderRunner(runtimeReturning({ logits, ...presents }), layout, vocabularySize);
    const failed = runner.forward([0], emptyStore());
    await expect(failed).rejects.toThrow(BackendError);
    await expect(failed).rejects.toThrow(/present\.1\.key of shape \[1, 1, 2, 2\]/u);
    for (const tensor of Object.values(presents)) {
      expect(tensor.ort_tensor.getData).not.toHaveBeenCalled();
      expect(tensor.dispose).toHaveBeenCalledTimes(1);
    }
  });

  it('a device tensor that cannot be downloaded is a BackendError naming its memory', async () => {
    const logits = { type: 'float32', dims: [1, 1, 3], location: 'ml-tensor', data: undefined };
    const runner = new DecoderRunner(runtimeReturning({ logits }), layout, vocabularySize);
    await expect(runner.forward([0], emptyStore())).rejects.toThrow(
      /"ml-tensor" memory that cannot be downloaded/u,
    );
  });
});

import { BackendError } from '@sirllm/core';
import type { CacheArray } from './cache-array.js';
import type { CacheLayout } from './cache-layout.js';
import { asHalfBits, halfToFloat } from './float16.js';
import type { KeyValueStore } from './key-value-store.js';

/** The slice of the transformers.js API the runner uses (`Tensor` class and a loaded causal LM). */
export interface TransformersRuntime {
  readonly Tensor: new (type: string, data: unknown, dims: number[]) => TensorLike;
  readonly model: { forward(inputs: Record<string, unknown>): Promise<Record<string, TensorLike>> };
}

/** Typed data of a tensor as the runner reads it. */
export type TensorData = ArrayBufferView & { readonly length: number };

/**
 * A transformers.js / onnxruntime tensor as the runner reads it. On WebGPU, transformers.js leaves the
 * decoder's `present.*` outputs in GPU buffers (`location: 'gpu-buffer'`), whose `data` throws: they are
 * downloaded with the ONNX tensor's `getData(true)`, which also frees the GPU buffer.
 */
export interface TensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: TensorData;
  readonly location?: string;
  readonly ort_tensor?: { getData?(releaseData?: boolean): Promise<TensorData> };
  dispose?(): void;
}

/** One forward pass: logits of every fed position (float32, [fed, vocabulary]) and the new cache. */
export interface ForwardResult {
  readonly logits: Float32Array;
  readonly presentKeys: CacheArray[];
  readonly presentValues: CacheArray[];
}

/**
 * Runs the decoder on a few tokens after a cache, with an all-ones attention mask and positions
 * `store.rows …` (the cache is always compact, so these are also the positions GroupQueryAttention
 * graphs derive from the cache length). Converts float16 logits itself.
 */
export class DecoderRunner {
  constructor(
    readonly runtime: TransformersRuntime,
    readonly layout: CacheLayout,
    readonly vocabularySize: number,
  ) {}

  async forward(tokens: readonly number[], store: KeyValueStore): Promise<ForwardResult> {
    const { Tensor, model } = this.runtime;
    const { layers, keyValueHeads, headDimension, type } = this.layout;
    const past = store.rows;
    const total = past + tokens.length;
    const inputs: Record<string, unknown> = {
      input_ids: new Tensor(
        'int64',
        BigInt64Array.from(tokens, (token) => BigInt(token)),
        [1, tokens.length],
      ),
      attention_mask: new Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
    };
    if (this.layout.positionIds) {
      const positions = new BigInt64Array(tokens.length);
      for (let i = 0; i < tokens.length; i++) positions[i] = BigInt(past + i);
      inputs.position_ids = new Tensor('int64', positions, [1, tokens.length]);
    }
    const pastKeyValues: Record<string, unknown> = {};
    const dims = [1, keyValueHeads, past, headDimension];
    for (let layer = 0; layer < layers; layer++) {
      pastKeyValues[`past_key_values.${layer}.key`] = new Tensor(type, store.keys[layer], dims);
      pastKeyValues[`past_key_values.${layer}.value`] = new Tensor(type, store.values[layer], dims);
    }
    inputs.past_key_values = pastKeyValues;
    const outputs = await model.forward(inputs);
    try {
      return await this.#read(outputs, tokens.length, total);
    } catch (error) {
      // Outputs left in device memory are freed here (CPU outputs are garbage-collected); a failing
      // dispose must not hide the error that got us here.
      for (const tensor of Object.values(outputs)) {
        if (tensor && !isOnCpu(tensor)) {
          try {
            tensor.dispose?.();
          } catch {}
        }
      }
      throw error;
    }
  }

  async #read(outputs: Record<string, TensorLike>, fed: number, total: number): Promise<ForwardResult> {
    const { layers, keyValueHeads, headDimension, type } = this.layout;
    const logitsTensor = outputs.logits;
    const expectedLogits = fed * this.vocabularySize;
    if (!logitsTensor || elementsOf(logitsTensor) !== expectedLogits) {
      throw new BackendError(
        `The model returned logits of shape [${logitsTensor?.dims.join(', ')}], expected [1, ${fed}, ${this.vocabularySize}].`,
      );
    }
    const logits = toFloat32(logitsTensor.type, await dataOnCpu(logitsTensor));
    const expectedCache = keyValueHeads * total * headDimension;
    const present = (layer: number, part: 'key' | 'value'): TensorLike => {
      const tensor = outputs[`present.${layer}.${part}`];
      if (!tensor || elementsOf(tensor) !== expectedCache) {
        throw new BackendError(
          `The model returned present.${layer}.${part} of shape [${tensor?.dims.join(', ')}], expected [1, ${keyValueHeads}, ${total}, ${headDimension}].`,
        );
      }
      return tensor;
    };
    const layerIndices = Array.from({ length: layers }, (_, layer) => layer);
    const keyTensors = layerIndices.map((layer) => present(layer, 'key'));
    const valueTensors = layerIndices.map((layer) => present(layer, 'value'));
    // Every shape is checked before anything is downloaded; the downloads then run together.
    const read = async (tensor: TensorLike): Promise<CacheArray> => {
      const data = await dataOnCpu(tensor);
      return type === 'float32' ? (data as Float32Array) : asHalfBits(data);
    };
    const [presentKeys, presentValues] = await Promise.all([
      Promise.all(keyTensors.map(read)),
      Promise.all(valueTensors.map(read)),
    ]);
    return { logits, presentKeys, presentValues };
  }
}

/** Whether a tensor's data is in JavaScript memory (`location` cpu, cpu-pinned or none given). */
function isOnCpu(tensor: TensorLike): boolean {
  return tensor.location === undefined || tensor.location === 'cpu' || tensor.location === 'cpu-pinned';
}

/** How many elements a tensor holds, from its dims (reading `data` would throw for a GPU tensor). */
function elementsOf(tensor: TensorLike): number {
  return tensor.dims.reduce((product, size) => product * size, 1);
}

/** A tensor's data in JavaScript memory: as it is on the CPU, downloaded (and the GPU copy freed) otherwise. */
async function dataOnCpu(tensor: TensorLike): Promise<TensorData> {
  if (isOnCpu(tensor)) return tensor.data;
  const download = tensor.ort_tensor?.getData;
  if (download === undefined) {
    throw new BackendError(
      `The model returned a tensor in "${tensor.location}" memory that cannot be downloaded (no getData).`,
    );
  }
  return download.call(tensor.ort_tensor, true);
}

function toFloat32(type: string, data: TensorData): Float32Array {
  if (type === 'float32') return data as Float32Array;
  if (type === 'float16') {
    const bits = asHalfBits(data);
    const out = new Float32Array(bits.length);
    for (let i = 0; i < bits.length; i++) out[i] = halfToFloat[bits[i] as number] as number;
    return out;
  }
  throw new BackendError(`The model returned ${type} logits; expected float32 or float16.`);
}

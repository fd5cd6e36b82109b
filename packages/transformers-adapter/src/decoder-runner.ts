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

/** A transformers.js / onnxruntime tensor as the runner reads it. */
export interface TensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: ArrayBufferView & { readonly length: number };
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
    const logitsTensor = outputs.logits;
    const expectedLogits = tokens.length * this.vocabularySize;
    if (!logitsTensor || logitsTensor.data.length !== expectedLogits) {
      throw new BackendError(
        `The model returned logits of shape [${logitsTensor?.dims.join(', ')}], expected [1, ${tokens.length}, ${this.vocabularySize}].`,
      );
    }
    const logits = toFloat32(logitsTensor);
    const presentKeys: CacheArray[] = [];
    const presentValues: CacheArray[] = [];
    const expectedCache = keyValueHeads * total * headDimension;
    for (let layer = 0; layer < layers; layer++) {
      for (const [part, list] of [
        ['key', presentKeys],
        ['value', presentValues],
      ] as const) {
        const tensor = outputs[`present.${layer}.${part}`];
        if (!tensor || tensor.data.length !== expectedCache) {
          throw new BackendError(
            `The model returned present.${layer}.${part} of shape [${tensor?.dims.join(', ')}], expected [1, ${keyValueHeads}, ${total}, ${headDimension}].`,
          );
        }
        list.push(type === 'float32' ? (tensor.data as Float32Array) : asHalfBits(tensor.data));
      }
    }
    return { logits, presentKeys, presentValues };
  }
}

function toFloat32(tensor: TensorLike): Float32Array {
  if (tensor.type === 'float32') return tensor.data as Float32Array;
  if (tensor.type === 'float16') {
    const bits = asHalfBits(tensor.data);
    const out = new Float32Array(bits.length);
    for (let i = 0; i < bits.length; i++) out[i] = halfToFloat[bits[i] as number] as number;
    return out;
  }
  throw new BackendError(`The model returned ${tensor.type} logits; expected float32 or float16.`);
}

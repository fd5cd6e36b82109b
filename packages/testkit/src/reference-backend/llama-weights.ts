import { InvalidOptionError } from '@sirllm/core';
import {
  embeddingTensorName,
  finalNormTensorName,
  layerTensorNames,
  outputHeadTensorName,
  tinyLlamaTensorShapes,
} from '../tiny-llama/tensor-names.js';
import type { TinyLlamaConfig, TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';

/** One decoder layer's weights, looked up once. */
export interface LayerWeights {
  readonly inputNorm: Float32Array;
  readonly query: Float32Array;
  readonly key: Float32Array;
  readonly value: Float32Array;
  readonly output: Float32Array;
  readonly postAttentionNorm: Float32Array;
  readonly gate: Float32Array;
  readonly up: Float32Array;
  readonly down: Float32Array;
}

/** A model's tensors resolved by role, with every shape checked against its config. */
export interface LlamaWeights {
  readonly config: TinyLlamaConfig;
  readonly embedding: Float32Array;
  readonly layers: readonly LayerWeights[];
  readonly finalNorm: Float32Array;
  /** `lm_head.weight`, or the embedding matrix when embeddings are tied. */
  readonly outputHead: Float32Array;
}

const resolved = new WeakMap<TinyLlamaModel, LlamaWeights>();

/** Looks a model's tensors up by role; throws `InvalidOptionError` for a missing or misshapen tensor. */
export function resolveLlamaWeights(model: TinyLlamaModel): LlamaWeights {
  const cached = resolved.get(model);
  if (cached) return cached;
  const { config, tensors } = model;
  for (const [name, shape] of tinyLlamaTensorShapes(config)) {
    const tensor = tensors.get(name);
    const size = shape.reduce((product, extent) => product * extent, 1);
    const shapeMatches =
      tensor !== undefined &&
      tensor.shape.length === shape.length &&
      tensor.shape.every((extent, axis) => extent === shape[axis]) &&
      tensor.data.length === size;
    if (!shapeMatches) {
      throw new InvalidOptionError({
        option: `model tensor ${name}`,
        value: tensor?.shape.join('×') ?? tensor,
        expected: `a float32 tensor of shape [${shape.join(', ')}]`,
      });
    }
  }
  const data = (name: string) => (tensors.get(name) as { data: Float32Array }).data;
  const layers: LayerWeights[] = [];
  for (let layer = 0; layer < config.layers; layer++) {
    const names = layerTensorNames(layer);
    layers.push({
      inputNorm: data(names.inputNorm),
      query: data(names.query),
      key: data(names.key),
      value: data(names.value),
      output: data(names.output),
      postAttentionNorm: data(names.postAttentionNorm),
      gate: data(names.gate),
      up: data(names.up),
      down: data(names.down),
    });
  }
  const weights: LlamaWeights = {
    config,
    embedding: data(embeddingTensorName),
    layers,
    finalNorm: data(finalNormTensorName),
    outputHead: data(config.tiedEmbeddings ? embeddingTensorName : outputHeadTensorName),
  };
  resolved.set(model, weights);
  return weights;
}

import { InvalidOptionError } from '@sirllm/core';
import {
  embeddingTensorName,
  finalNormTensorName,
  layerTensorNames,
  outputHeadTensorName,
  tinyLlamaTensorShapes,
} from '../tiny-llama/tensor-names.js';
import type { TinyLlamaConfig, TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';

/** One decoder layer's weights, looked up once; roles the family lacks are undefined. */
export interface LayerWeights {
  readonly inputNorm: Float32Array;
  readonly query: Float32Array;
  readonly key: Float32Array;
  readonly value: Float32Array;
  readonly output: Float32Array;
  readonly queryBias: Float32Array | undefined;
  readonly keyBias: Float32Array | undefined;
  readonly valueBias: Float32Array | undefined;
  readonly queryNorm: Float32Array | undefined;
  readonly keyNorm: Float32Array | undefined;
  readonly attentionOutputNorm: Float32Array | undefined;
  readonly feedForwardNorm: Float32Array;
  readonly feedForwardOutputNorm: Float32Array | undefined;
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
  const optional = (name: string | undefined) => (name === undefined ? undefined : data(name));
  const layers: LayerWeights[] = [];
  for (let layer = 0; layer < config.layers; layer++) {
    const names = layerTensorNames(layer, config.architecture);
    layers.push({
      inputNorm: data(names.inputNorm),
      query: data(names.query),
      key: data(names.key),
      value: data(names.value),
      output: data(names.output),
      queryBias: optional(names.queryBias),
      keyBias: optional(names.keyBias),
      valueBias: optional(names.valueBias),
      queryNorm: optional(names.queryNorm),
      keyNorm: optional(names.keyNorm),
      attentionOutputNorm: optional(names.attentionOutputNorm),
      feedForwardNorm: data(names.feedForwardNorm),
      feedForwardOutputNorm: optional(names.feedForwardOutputNorm),
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

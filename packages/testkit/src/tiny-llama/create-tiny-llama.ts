import { createRandom, type RandomSource } from '@sirllm/core';
import { standardNormal } from './gaussian.js';
import {
  embeddingTensorName,
  isNormTensorName,
  outputHeadTensorName,
  tinyLlamaTensorShapes,
} from './tensor-names.js';
import type { ModelTensor, TinyLlamaModel } from './tiny-llama-model.js';
import { resolveTinyLlamaConfig, type TinyLlamaOptions } from './tiny-llama-options.js';

/**
 * How tensors are drawn: normal, with these standard deviations (projections: gain / √fan-in); norm
 * weights around 1. Tuned so the next-token distribution is spread over a few nats (neither flat nor
 * one-hot) and attention is neither uniform nor a hard pointer.
 */
const embeddingDeviation = 0.5;
const outputHeadDeviation = 0.5;
const normDeviation = 0.25;
const biasDeviation = 0.2;
const projectionGains: Readonly<Record<string, number>> = {
  q_proj: 1.2,
  k_proj: 1.2,
  v_proj: 1.5,
  o_proj: 1.5,
  gate_proj: 2,
  up_proj: 1.5,
  down_proj: 1.5,
};

/**
 * A tiny seeded decoder (RMSNorm, RoPE, grouped-query attention, gated MLP) with the structure of a
 * model family (`options.family`, default `llama`) and Hugging Face tensor names and shapes.
 * Deterministic: the same options give bit-identical weights.
 */
export function createTinyLlama(options: TinyLlamaOptions = {}): TinyLlamaModel {
  const config = resolveTinyLlamaConfig(options);
  const random = createRandom(config.seed);
  const tensors = new Map<string, ModelTensor>();
  for (const [name, shape] of tinyLlamaTensorShapes(config)) {
    tensors.set(name, { shape, data: drawTensor(name, shape, random, config.architecture.normWeight) });
  }
  return { config, tensors };
}

/** Norm weights: around 1 for `x̂·w`, around 0 for Gemma's `x̂·(1 + w)`; biases around 0. */
function drawTensor(
  name: string,
  shape: readonly number[],
  random: RandomSource,
  normWeight: 'scale' | 'offset',
): Float32Array {
  const size = shape.reduce((product, extent) => product * extent, 1);
  const data = new Float32Array(size);
  if (shape.length === 1) {
    const isNorm = isNormTensorName(name);
    const center = isNorm && normWeight === 'scale' ? 1 : 0;
    const deviation = isNorm ? normDeviation : biasDeviation;
    for (let i = 0; i < size; i++) data[i] = center + deviation * standardNormal(random);
    return data;
  }
  const deviation = deviationOf(name, shape[1] as number);
  for (let i = 0; i < size; i++) data[i] = deviation * standardNormal(random);
  return data;
}

function deviationOf(name: string, fanIn: number): number {
  if (name === embeddingTensorName) return embeddingDeviation;
  if (name === outputHeadTensorName) return outputHeadDeviation;
  const kind = /\.(\w+_proj)\.weight$/.exec(name)?.[1];
  const gain = kind === undefined ? undefined : projectionGains[kind];
  if (gain === undefined) throw new Error(`no initialisation for tensor ${name}`);
  return gain / Math.sqrt(fanIn);
}

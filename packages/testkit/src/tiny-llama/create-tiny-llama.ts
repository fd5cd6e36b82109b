import { createRandom, type RandomSource } from '@sirllm/core';
import { standardNormal } from './gaussian.js';
import { embeddingTensorName, outputHeadTensorName, tinyLlamaTensorShapes } from './tensor-names.js';
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
 * A tiny seeded Llama-architecture model (RMSNorm, RoPE, grouped-query attention, SwiGLU MLP) with
 * Hugging Face tensor names and shapes. Deterministic: the same options give bit-identical weights.
 */
export function createTinyLlama(options: TinyLlamaOptions = {}): TinyLlamaModel {
  const config = resolveTinyLlamaConfig(options);
  const random = createRandom(config.seed);
  const tensors = new Map<string, ModelTensor>();
  for (const [name, shape] of tinyLlamaTensorShapes(config)) {
    tensors.set(name, { shape, data: drawTensor(name, shape, random) });
  }
  return { config, tensors };
}

function drawTensor(name: string, shape: readonly number[], random: RandomSource): Float32Array {
  const size = shape.reduce((product, extent) => product * extent, 1);
  const data = new Float32Array(size);
  if (shape.length === 1) {
    for (let i = 0; i < size; i++) data[i] = 1 + normDeviation * standardNormal(random);
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

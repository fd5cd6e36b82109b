import { InvalidOptionError } from '@sirllm/core';
import {
  embeddingTensorName,
  finalNormTensorName,
  layerTensorNames,
  outputHeadTensorName,
} from '../../tiny-llama/tensor-names.js';
import type { TinyLlamaModel } from '../../tiny-llama/tiny-llama-model.js';
import { permuteRowsForGgmlRope } from '../rope-row-permutation.js';
import type { GgufTensor, GgufTensorType } from '../write-gguf.js';
import { type GgufArchitecture, rotatesAdjacentPairs } from './gguf-architecture.js';
import { llama3FrequencyFactors } from './llama3-frequency-factors.js';

/**
 * The tensors of a model under llama.cpp's names for `architecture`: matrices as `matrixType`, vectors
 * as f32. Per block: `attn_norm`; `attn_q/k/v` (Phi-3: one `attn_qkv`, rows q, k, v) with their biases;
 * `attn_q_norm`/`attn_k_norm`; `attn_output`; Gemma's `post_attention_norm`; `ffn_norm` (the norm before
 * the MLP); `ffn_gate` and `ffn_up` (Phi-3: one `ffn_up`, gate rows first); `ffn_down`; Gemma's
 * `post_ffw_norm`. Query and key rows (and biases) are permuted for the `llama` architecture's
 * adjacent-pair RoPE; Gemma's norm weights are stored as 1 + w (llama.cpp multiplies by the weight);
 * Llama 3's scaling becomes `rope_freqs.weight`.
 */
export function familyTensors(
  model: TinyLlamaModel,
  architecture: GgufArchitecture,
  matrixType: GgufTensorType,
): GgufTensor[] {
  const { config } = model;
  const features = config.architecture;
  const rotaryDimensions = config.rope.rotaryDimensions ?? config.headDimension;
  const permute = rotatesAdjacentPairs(architecture);
  const normOffset = features.normWeight === 'offset' ? 1 : 0;
  const source = (name: string) => {
    const tensor = model.tensors.get(name);
    if (!tensor) {
      throw new InvalidOptionError({ option: 'model.tensors', value: name, expected: 'a complete model' });
    }
    return tensor;
  };
  /** Rows of `name` in llama.cpp's RoPE layout (a matrix or a bias of `heads` heads). */
  const ropeRows = (name: string, heads: number) => {
    const data = source(name).data;
    return permute ? permuteRowsForGgmlRope(data, heads, config.headDimension, rotaryDimensions) : data;
  };
  const stored = (ggufName: string, shape: readonly number[], data: Float32Array): GgufTensor => ({
    name: ggufName,
    dimensions: [...shape].reverse(),
    type: shape.length === 1 ? 'f32' : matrixType,
    data,
  });
  const plain = (ggufName: string, name: string) => stored(ggufName, source(name).shape, source(name).data);
  const norm = (ggufName: string, name: string) => {
    const { shape, data } = source(name);
    return stored(ggufName, shape, normOffset ? data.map((weight) => normOffset + weight) : data);
  };
  const tensors: GgufTensor[] = [];
  const scaling = config.rope.scaling;
  if (scaling?.type === 'llama3') {
    tensors.push(
      stored(
        'rope_freqs.weight',
        [rotaryDimensions / 2],
        llama3FrequencyFactors(config.rope.theta, rotaryDimensions, scaling),
      ),
    );
  }
  tensors.push(plain('token_embd.weight', embeddingTensorName));
  for (let layer = 0; layer < config.layers; layer++) {
    const names = layerTensorNames(layer, features);
    const block = (suffix: string) => `blk.${layer}.${suffix}`;
    tensors.push(norm(block('attn_norm.weight'), names.inputNorm));
    const query = ropeRows(names.query, config.attentionHeads);
    const key = ropeRows(names.key, config.keyValueHeads);
    const value = source(names.value).data;
    const biases =
      names.queryBias !== undefined && names.keyBias !== undefined && names.valueBias !== undefined
        ? [
            ropeRows(names.queryBias, config.attentionHeads),
            ropeRows(names.keyBias, config.keyValueHeads),
            source(names.valueBias).data,
          ]
        : undefined;
    if (features.fusedProjections) {
      const rows = stacked([query, key, value]);
      tensors.push(
        stored(block('attn_qkv.weight'), [rows.length / config.hiddenSize, config.hiddenSize], rows),
      );
      if (biases) tensors.push(stored(block('attn_qkv.bias'), [stacked(biases).length], stacked(biases)));
    } else {
      tensors.push(
        stored(block('attn_q.weight'), source(names.query).shape, query),
        stored(block('attn_k.weight'), source(names.key).shape, key),
        stored(block('attn_v.weight'), source(names.value).shape, value),
      );
      if (biases) {
        const [queryBias, keyBias, valueBias] = biases as [Float32Array, Float32Array, Float32Array];
        tensors.push(
          stored(block('attn_q.bias'), [queryBias.length], queryBias),
          stored(block('attn_k.bias'), [keyBias.length], keyBias),
          stored(block('attn_v.bias'), [valueBias.length], valueBias),
        );
      }
    }
    if (names.queryNorm !== undefined && names.keyNorm !== undefined) {
      tensors.push(
        norm(block('attn_q_norm.weight'), names.queryNorm),
        norm(block('attn_k_norm.weight'), names.keyNorm),
      );
    }
    tensors.push(plain(block('attn_output.weight'), names.output));
    if (names.attentionOutputNorm !== undefined) {
      tensors.push(norm(block('post_attention_norm.weight'), names.attentionOutputNorm));
    }
    tensors.push(norm(block('ffn_norm.weight'), names.feedForwardNorm));
    if (features.fusedProjections) {
      const rows = stacked([source(names.gate).data, source(names.up).data]);
      tensors.push(
        stored(block('ffn_up.weight'), [rows.length / config.hiddenSize, config.hiddenSize], rows),
      );
    } else {
      tensors.push(plain(block('ffn_gate.weight'), names.gate), plain(block('ffn_up.weight'), names.up));
    }
    tensors.push(plain(block('ffn_down.weight'), names.down));
    if (names.feedForwardOutputNorm !== undefined) {
      tensors.push(norm(block('post_ffw_norm.weight'), names.feedForwardOutputNorm));
    }
  }
  tensors.push(norm('output_norm.weight', finalNormTensorName));
  if (!config.tiedEmbeddings) tensors.push(plain('output.weight', outputHeadTensorName));
  return tensors;
}

/** Row blocks stacked into one array, in the given order. */
function stacked(parts: readonly Float32Array[]): Float32Array {
  const data = new Float32Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    data.set(part, offset);
    offset += part.length;
  }
  return data;
}

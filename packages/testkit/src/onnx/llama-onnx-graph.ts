import {
  embeddingTensorName,
  finalNormTensorName,
  layerTensorNames,
  outputHeadTensorName,
} from '../tiny-llama/tensor-names.js';
import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';
import { groupQueryAttention } from './group-query-attention.js';
import type { AttentionContext, AttentionProjections } from './onnx-attention.js';
import type { OnnxExportOptions } from './onnx-export-options.js';
import { type OnnxDataType, OnnxGraphBuilder, onnxDataType } from './onnx-graph-builder.js';
import { layerOperators } from './onnx-layer-operators.js';
import { OnnxWeights } from './onnx-weights.js';
import { standardAttention } from './standard-attention.js';

/**
 * Writes a tiny model of any family as an ONNX decoder with the transformers.js interface: `input_ids`,
 * `attention_mask`, (`position_ids`), `past_key_values.{i}.key|value` [batch_size, kv_heads,
 * past_sequence_length, head_dim] in, `logits` [batch_size, sequence_length, vocab] and
 * `present.{i}.key|value` out. The block follows the family (see `ArchitectureFeatures`): biases, q/k
 * norms, (1 + w) and sandwich norms, GeGLU, scaled embeddings, Phi-3's fused `qkv_proj` and
 * `gate_up_proj` matrices (one MatMul each, then Split), sliding-window layers with their own RoPE.
 * In the `position-ids` style a Gemma 3 graph has no `position_ids` input, as optimum exports it.
 * Returns the `.onnx` bytes (weights inline).
 */
export function writeLlamaOnnx(model: TinyLlamaModel, options: OnnxExportOptions = {}): Uint8Array {
  const style = options.style ?? 'position-ids';
  const cacheType: OnnxDataType = options.cacheType === 'float16' ? onnxDataType.float16 : onnxDataType.float;
  const { config } = model;
  const features = config.architecture;
  const graph = new OnnxGraphBuilder();
  const weights = new OnnxWeights(graph, model, options.weightType ?? 'float32');

  const inputIds = graph.input('input_ids', onnxDataType.int64, ['batch_size', 'sequence_length']);
  const attentionMask = graph.input('attention_mask', onnxDataType.int64, [
    'batch_size',
    'total_sequence_length',
  ]);
  const positionIds =
    style === 'position-ids' && !hasCacheIndexPositions(model)
      ? graph.input('position_ids', onnxDataType.int64, ['batch_size', 'sequence_length'])
      : undefined;
  const cacheShape = ['batch_size', config.keyValueHeads, 'past_sequence_length', config.headDimension];
  const presentShape = ['batch_size', config.keyValueHeads, 'total_sequence_length', config.headDimension];
  const pasts = Array.from({ length: config.layers }, (_, layer) => ({
    key: graph.input(`past_key_values.${layer}.key`, cacheType, cacheShape),
    value: graph.input(`past_key_values.${layer}.value`, cacheType, cacheShape),
  }));

  const operators = layerOperators(graph, features, config.rmsNormEpsilon);
  const norm = (input: string, name: string) => operators.rmsNorm(input, weights.vector(name));
  const { shape: embeddingShape, data: embeddingData } = weights.tensor(embeddingTensorName);
  const embedding = weights.matrix(embeddingTensorName, embeddingShape, embeddingData);
  let hidden = graph.one('Gather', [embedding, inputIds], { axis: { integer: 0 } });
  if (features.scaledEmbedding) {
    const scale = graph.floats('embedding_scale', [], [Math.sqrt(config.hiddenSize)]);
    hidden = graph.one('Mul', [hidden, scale]);
  }
  const context: AttentionContext = {
    graph,
    config,
    operators,
    cacheType,
    inputIds,
    attentionMask,
    positionIds,
  };
  const attention = style === 'position-ids' ? standardAttention(context) : groupQueryAttention(context);
  for (let layer = 0; layer < config.layers; layer++) {
    const names = layerTensorNames(layer, features);
    const past = pasts[layer] as { key: string; value: string };
    const normed = norm(hidden, names.inputNorm);
    const projections: AttentionProjections = features.fusedProjections
      ? {
          packed: graph.one('MatMul', [
            normed,
            weights.linear(
              [names.query, names.key, names.value],
              `model.layers.${layer}.self_attn.qkv_proj.weight`,
            ),
          ]),
        }
      : {
          query: graph.one('MatMul', [normed, weights.linear([names.query])]),
          key: graph.one('MatMul', [normed, weights.linear([names.key])]),
          value: graph.one('MatMul', [normed, weights.linear([names.value])]),
        };
    const attended = attention({
      layer,
      projections,
      ...(names.queryBias && names.keyBias && names.valueBias
        ? {
            biases: {
              query: weights.vector(names.queryBias),
              key: weights.vector(names.keyBias),
              value: weights.vector(names.valueBias),
            },
          }
        : {}),
      ...(names.queryNorm && names.keyNorm
        ? { queryKeyNorms: { query: weights.vector(names.queryNorm), key: weights.vector(names.keyNorm) } }
        : {}),
      pastKey: past.key,
      pastValue: past.value,
    });
    let attentionOutput = graph.one('MatMul', [attended, weights.linear([names.output])]);
    if (names.attentionOutputNorm) attentionOutput = norm(attentionOutput, names.attentionOutputNorm);
    hidden = graph.one('Add', [hidden, attentionOutput]);

    const normedAgain = norm(hidden, names.feedForwardNorm);
    let gate: string;
    let up: string;
    if (features.fusedProjections) {
      // Phi-3's gate_up_proj: the gate half first, then the up half.
      const fused = weights.linear([names.gate, names.up], `model.layers.${layer}.mlp.gate_up_proj.weight`);
      const halves = graph.one('MatMul', [normedAgain, fused]);
      [gate, up] = graph.node('Split', [halves], { axis: { integer: -1 } }, 2) as [string, string];
    } else {
      gate = graph.one('MatMul', [normedAgain, weights.linear([names.gate])]);
      up = graph.one('MatMul', [normedAgain, weights.linear([names.up])]);
    }
    const activated = graph.one('Mul', [operators.activation(gate), up]);
    let feedForwardOutput = graph.one('MatMul', [activated, weights.linear([names.down])]);
    if (names.feedForwardOutputNorm) feedForwardOutput = norm(feedForwardOutput, names.feedForwardOutputNorm);
    hidden = graph.one('Add', [hidden, feedForwardOutput]);
    graph.output(`present.${layer}.key`, cacheType, presentShape);
    graph.output(`present.${layer}.value`, cacheType, presentShape);
  }
  // A tied head reads the embedding initializer through a Transpose instead of storing a second copy.
  const head = config.tiedEmbeddings
    ? graph.one('Transpose', [embedding], { perm: { integers: [1, 0] } })
    : weights.linear([outputHeadTensorName]);
  const logits = graph.one('MatMul', [norm(hidden, finalNormTensorName), head]);
  const logitsType = options.logitsType === 'float16' ? onnxDataType.float16 : onnxDataType.float;
  graph.one('Cast', [logits], { to: { integer: logitsType } }, 'logits');
  graph.output('logits', logitsType, ['batch_size', 'sequence_length', config.vocabularySize]);
  return graph.encode(`tiny-${config.family}-${style}`);
}

/**
 * True for families whose optimum export has no `position_ids` input (Gemma 3): each new token's
 * position is the cache length + its index.
 */
export function hasCacheIndexPositions(model: TinyLlamaModel): boolean {
  return model.config.family === 'gemma3';
}

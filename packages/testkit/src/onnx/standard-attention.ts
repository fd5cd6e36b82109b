import { isSlidingLayer } from '../families/architecture-features.js';
import {
  type AttentionBuilder,
  type AttentionContext,
  attentionScale,
  layerRope,
  separateProjections,
  withBiases,
} from './onnx-attention.js';
import { onnxDataType } from './onnx-graph-builder.js';
import { rotaryCosineSine } from './rotary-cosine-sine.js';

/**
 * Attention from standard opset-17 operators, as optimum exports it: per-head q/k norms, RoPE from
 * cosine/sine tables gathered at each token's position (the `position_ids` input, or — without one, as
 * in optimum's Gemma 3 export — the cache length + i), the post-RoPE keys and the values appended to the
 * cache, GQA via Expand + Reshape, and a causal mask over cache indices combined with `attention_mask`.
 * A sliding-window layer also masks keys with `key index ≤ query index − window` and uses its own RoPE
 * table (see `layerRopeSettings`).
 */
export function standardAttention(context: AttentionContext): AttentionBuilder {
  const { graph, config, operators, cacheType, inputIds, attentionMask } = context;
  const { attentionHeads, keyValueHeads, headDimension } = config;
  const unsqueezeAxis = graph.integers('axis_1', [1], [1]);

  // Cache indices: past = total − sequence; the new tokens sit at past..total−1.
  const sliceStart = { start: { integer: 1 }, end: { integer: 2 } };
  const sequenceLength = graph.one('Squeeze', [graph.one('Shape', [inputIds], sliceStart)]);
  const totalLength = graph.one('Squeeze', [graph.one('Shape', [attentionMask], sliceStart)]);
  const pastLength = graph.one('Sub', [totalLength, sequenceLength]);
  const zero = graph.integers('zero', [], [0]);
  const one = graph.integers('one', [], [1]);
  const newIndices = graph.one('Range', [pastLength, totalLength, one]);
  const positions =
    context.positionIds ?? graph.one('Unsqueeze', [newIndices, graph.integers('axis_0', [1], [0])]);

  const tables = new Map<string, { cos: string; sin: string }>();
  const cosineSine = (layer: number) => {
    const { key, rope } = layerRope(config, layer);
    let found = tables.get(key);
    if (!found) {
      const table = rotaryCosineSine(rope, config.maximumPositionEmbeddings, 'full');
      const prefix = key === 'global' ? 'rope' : `rope_${key}`;
      const gathered = (name: string, values: Float32Array) =>
        graph.one('Unsqueeze', [
          graph.one('Gather', [graph.floats(name, [table.positions, headDimension], values), positions]),
          unsqueezeAxis,
        ]);
      found = { cos: gathered(`${prefix}_cos`, table.cos), sin: gathered(`${prefix}_sin`, table.sin) };
      tables.set(key, found);
    }
    return found;
  };
  // rotate_half as an exact ±1 permutation matrix: (x @ R)[j] = −x[j + r/2] for j < r/2, x[j − r/2] for
  // r/2 ≤ j < r, and 0 past the rotary part (whose sine is 0 anyway).
  const rotary = config.rope.rotaryDimensions ?? headDimension;
  const rotateHalf = new Float32Array(headDimension * headDimension);
  for (let j = 0; j < rotary / 2; j++) rotateHalf[(j + rotary / 2) * headDimension + j] = -1;
  for (let j = rotary / 2; j < rotary; j++) rotateHalf[(j - rotary / 2) * headDimension + j] = 1;
  const rotateMatrix = graph.floats('rotate_half', [headDimension, headDimension], rotateHalf);
  const applyRope = (x: string, layer: number) => {
    const { cos, sin } = cosineSine(layer);
    return graph.one('Add', [
      graph.one('Mul', [x, cos]),
      graph.one('Mul', [graph.one('MatMul', [x, rotateMatrix]), sin]),
    ]);
  };

  // Causal mask over cache indices, combined with attention_mask: [batch, 1, sequence, total].
  const keyIndex = graph.one('Range', [zero, totalLength, one]);
  const queryIndex = graph.one('Unsqueeze', [newIndices, unsqueezeAxis]);
  const causal = graph.one('LessOrEqual', [keyIndex, queryIndex]);
  const padding = graph.one('Unsqueeze', [
    graph.one('Cast', [attentionMask], { to: { integer: onnxDataType.bool } }),
    graph.integers('axes_1_2', [2], [1, 2]),
  ]);
  const allowed = graph.one('And', [causal, padding]);
  let slidingAllowed: string | undefined;
  const maskOf = (layer: number) => {
    const sliding = config.architecture.slidingWindow;
    if (!sliding || !isSlidingLayer(config.architecture, layer)) return allowed;
    // Hugging Face's sliding mask: key index > query index − window.
    slidingAllowed ??= graph.one('And', [
      allowed,
      graph.one('Greater', [
        keyIndex,
        graph.one('Sub', [queryIndex, graph.integers('sliding_window', [], [sliding.window])]),
      ]),
    ]);
    return slidingAllowed;
  };
  const masked = graph.floats('masked_score', [], [-1e9]);
  const scale = graph.floats('attention_scale', [], [attentionScale(config)]);
  const headsShape = (heads: number) =>
    graph.integers(`heads_shape_${heads}`, [4], [0, 0, heads, headDimension]);
  const queryHeads = headsShape(attentionHeads);
  const keyValueShape = keyValueHeads === attentionHeads ? queryHeads : headsShape(keyValueHeads);
  const group = attentionHeads / keyValueHeads;
  const expandShape = graph.integers('group_expand', [5], [1, 1, group, 1, 1]);
  const groupedShape = graph.integers('grouped_shape', [4], [0, attentionHeads, -1, headDimension]);
  const mergedShape = graph.integers('merged_shape', [3], [0, 0, attentionHeads * headDimension]);
  const axis2 = graph.integers('axis_2', [1], [2]);
  /** [batch, sequence, heads·d] → [batch, heads, sequence, d], normed per head first when asked. */
  const toHeads = (x: string, shape: string, norm: string | undefined) => {
    const split = graph.one('Reshape', [x, shape]);
    const normed = norm === undefined ? split : operators.rmsNorm(split, norm);
    return graph.one('Transpose', [normed], { perm: { integers: [0, 2, 1, 3] } });
  };
  const toCache = (x: string) =>
    cacheType === onnxDataType.float ? x : graph.one('Cast', [x], { to: { integer: cacheType } });
  const fromCache = (x: string) =>
    cacheType === onnxDataType.float ? x : graph.one('Cast', [x], { to: { integer: onnxDataType.float } });
  const expandGroups = (x: string) =>
    group === 1
      ? x
      : graph.one('Reshape', [
          graph.one('Expand', [graph.one('Unsqueeze', [x, axis2]), expandShape]),
          groupedShape,
        ]);

  return ({ layer, projections, biases, queryKeyNorms, pastKey, pastValue }) => {
    const { query, key, value } = withBiases(
      graph,
      separateProjections(graph, config, projections, layer),
      biases,
    );
    const q = applyRope(toHeads(query, queryHeads, queryKeyNorms?.query), layer);
    const k = applyRope(toHeads(key, keyValueShape, queryKeyNorms?.key), layer);
    const v = toHeads(value, keyValueShape, undefined);
    const presentKey = graph.one(
      'Concat',
      [pastKey, toCache(k)],
      { axis: { integer: 2 } },
      `present.${layer}.key`,
    );
    const presentValue = graph.one(
      'Concat',
      [pastValue, toCache(v)],
      { axis: { integer: 2 } },
      `present.${layer}.value`,
    );
    const keys = expandGroups(fromCache(presentKey));
    const values = expandGroups(fromCache(presentValue));
    const scores = graph.one('Mul', [
      graph.one('MatMul', [q, graph.one('Transpose', [keys], { perm: { integers: [0, 1, 3, 2] } })]),
      scale,
    ]);
    const probabilities = graph.one('Softmax', [graph.one('Where', [maskOf(layer), scores, masked])], {
      axis: { integer: -1 },
    });
    const context = graph.one('MatMul', [probabilities, values]);
    return graph.one('Reshape', [
      graph.one('Transpose', [context], { perm: { integers: [0, 2, 1, 3] } }),
      mergedShape,
    ]);
  };
}

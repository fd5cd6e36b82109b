import { isSlidingLayer } from '../families/architecture-features.js';
import {
  type AttentionBuilder,
  type AttentionContext,
  attentionScale,
  layerRope,
  separateProjections,
  withBiases,
} from './onnx-attention.js';
import { type OnnxAttribute, onnxDataType } from './onnx-graph-builder.js';
import { rotaryCosineSine } from './rotary-cosine-sine.js';

/**
 * Attention fused into `com.microsoft.GroupQueryAttention` (RoPE inside, positions = cache indices),
 * as onnxruntime-genai's model builder writes it: biases and per-head q/k norms are applied to the
 * projections before the fused node; a packed query/key/value projection (Phi-3) is passed as it is;
 * each layer gets the cosine/sine caches of its own RoPE settings; a sliding-window layer sets
 * `local_window_size` = window (onnxruntime's CPU kernel then lets the query at cache index i see keys
 * j with i − j < window, the Hugging Face rule — measured against the reference: window − 1 and
 * window − 2 both differ).
 */
export function groupQueryAttention(context: AttentionContext): AttentionBuilder {
  const { graph, config, operators, cacheType, attentionMask } = context;
  graph.useDomain('com.microsoft', 1);
  const { attentionHeads, keyValueHeads, headDimension } = config;
  const caches = new Map<string, { cos: string; sin: string }>();
  const cosineSine = (layer: number) => {
    const { key, rope } = layerRope(config, layer);
    let found = caches.get(key);
    if (!found) {
      const tables = rotaryCosineSine(rope, config.maximumPositionEmbeddings, 'half');
      const prefix = key === 'global' ? 'rope' : `rope_${key}`;
      const stored = (name: string, values: Float32Array) => {
        const table = graph.floats(name, [tables.positions, tables.width], values);
        return cacheType === onnxDataType.float
          ? table
          : graph.one('Cast', [table], { to: { integer: cacheType } });
      };
      found = {
        cos: stored(`${prefix}_cos_cache`, tables.cos),
        sin: stored(`${prefix}_sin_cache`, tables.sin),
      };
      caches.set(key, found);
    }
    return found;
  };
  const summed = graph.one('ReduceSum', [attentionMask, graph.integers('axis_last', [1], [1])], {
    keepdims: { integer: 0 },
  });
  const sequenceLengths = graph.one(
    'Cast',
    [graph.one('Sub', [summed, graph.integers('one_1d', [1], [1])])],
    { to: { integer: onnxDataType.int32 } },
  );
  const totalLength = graph.one(
    'Cast',
    [
      graph.one('Squeeze', [
        graph.one('Shape', [attentionMask], { start: { integer: 1 }, end: { integer: 2 } }),
      ]),
    ],
    { to: { integer: onnxDataType.int32 } },
  );
  const toCache = (x: string) =>
    cacheType === onnxDataType.float ? x : graph.one('Cast', [x], { to: { integer: cacheType } });
  const fromCache = (x: string) =>
    cacheType === onnxDataType.float ? x : graph.one('Cast', [x], { to: { integer: onnxDataType.float } });
  const shapes = new Map<string, string>();
  const shape = (name: string, values: number[]) => {
    let found = shapes.get(name);
    if (!found) {
      found = graph.integers(name, [values.length], values);
      shapes.set(name, found);
    }
    return found;
  };
  const perHead = (heads: number) => shape(`per_head_shape_${heads}`, [0, 0, heads, headDimension]);
  const merged = (heads: number) => shape(`merged_shape_${heads}`, [0, 0, heads * headDimension]);
  /** Per-head RMSNorm of a [batch, sequence, heads·d] value, back in the same layout. */
  const normPerHead = (x: string, heads: number, weight: string) =>
    graph.one('Reshape', [
      operators.rmsNorm(graph.one('Reshape', [x, perHead(heads)]), weight),
      merged(heads),
    ]);

  return ({ layer, projections, biases, queryKeyNorms, pastKey, pastValue }) => {
    let attentionInputs: string[];
    if ('packed' in projections && !biases && !queryKeyNorms) {
      attentionInputs = [toCache(projections.packed), '', ''];
    } else {
      let { query, key, value } = withBiases(
        graph,
        separateProjections(graph, config, projections, layer),
        biases,
      );
      if (queryKeyNorms) {
        query = normPerHead(query, attentionHeads, queryKeyNorms.query);
        key = normPerHead(key, keyValueHeads, queryKeyNorms.key);
      }
      attentionInputs = [toCache(query), toCache(key), toCache(value)];
    }
    const { cos, sin } = cosineSine(layer);
    const sliding = config.architecture.slidingWindow;
    const window: Record<string, OnnxAttribute> =
      sliding && isSlidingLayer(config.architecture, layer)
        ? { local_window_size: { integer: sliding.window } }
        : {};
    const [output] = graph.node(
      'GroupQueryAttention',
      [...attentionInputs, pastKey, pastValue, sequenceLengths, totalLength, cos, sin],
      {
        num_heads: { integer: attentionHeads },
        kv_num_heads: { integer: keyValueHeads },
        do_rotary: { integer: 1 },
        rotary_interleaved: { integer: 0 },
        scale: { float: attentionScale(config) },
        ...window,
      },
      [`attention_${layer}`, `present.${layer}.key`, `present.${layer}.value`],
      'com.microsoft',
    );
    return fromCache(output as string);
  };
}

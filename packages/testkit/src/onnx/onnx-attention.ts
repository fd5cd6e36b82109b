import type { RopeSettings } from '@sirllm/core';
import { isSlidingLayer } from '../families/architecture-features.js';
import { layerRopeSettings } from '../reference-backend/layer-rotary-tables.js';
import type { TinyLlamaConfig } from '../tiny-llama/tiny-llama-model.js';
import type { OnnxDataType, OnnxGraphBuilder } from './onnx-graph-builder.js';
import type { LayerOperators } from './onnx-layer-operators.js';

/**
 * The attention projections of one layer: three separate [batch, sequence, width] values, or one
 * packed value with queries, keys and values side by side along the last axis (Phi-3's `qkv_proj`).
 */
export type AttentionProjections =
  | { readonly query: string; readonly key: string; readonly value: string }
  | { readonly packed: string };

/** What one layer's attention reads; every value name is in the graph already. */
export interface AttentionInputs {
  readonly layer: number;
  readonly projections: AttentionProjections;
  /** Bias initializers of the query, key and value projections (Qwen 2), when the family has them. */
  readonly biases?: { readonly query: string; readonly key: string; readonly value: string };
  /** Per-head RMSNorm weights of queries and keys, applied before RoPE (Qwen 3, Gemma 3). */
  readonly queryKeyNorms?: { readonly query: string; readonly key: string };
  readonly pastKey: string;
  readonly pastValue: string;
}

/** Builds one layer's attention and returns its merged head outputs [batch, sequence, heads·head size]. */
export type AttentionBuilder = (inputs: AttentionInputs) => string;

/** The graph-wide values every attention builder starts from. */
export interface AttentionContext {
  readonly graph: OnnxGraphBuilder;
  readonly config: TinyLlamaConfig;
  readonly operators: LayerOperators;
  readonly cacheType: OnnxDataType;
  readonly inputIds: string;
  readonly attentionMask: string;
  /** The `position_ids` input; undefined for graphs that take positions from the cache length. */
  readonly positionIds: string | undefined;
}

/**
 * The RoPE settings of one layer and a key naming them, so that layers with equal settings share one
 * table (Gemma 3: `local` for the sliding layers, `global` for the others).
 */
export function layerRope(config: TinyLlamaConfig, layer: number): { key: string; rope: RopeSettings } {
  const local = isSlidingLayer(config.architecture, layer);
  return { key: local ? 'local' : 'global', rope: layerRopeSettings(config, layer) };
}

/** Queries, keys and values as three values: a packed projection is cut with one `Split`. */
export function separateProjections(
  graph: OnnxGraphBuilder,
  config: TinyLlamaConfig,
  projections: AttentionProjections,
  layer: number,
): { query: string; key: string; value: string } {
  if (!('packed' in projections)) return projections;
  const queryWidth = config.attentionHeads * config.headDimension;
  const keyValueWidth = config.keyValueHeads * config.headDimension;
  const sizes = graph.integers(`qkv_split_sizes_${layer}`, [3], [queryWidth, keyValueWidth, keyValueWidth]);
  const [query, key, value] = graph.node('Split', [projections.packed, sizes], { axis: { integer: -1 } }, 3);
  return { query: query as string, key: key as string, value: value as string };
}

/** Queries, keys and values with their biases added (when the layer has biases). */
export function withBiases(
  graph: OnnxGraphBuilder,
  projections: { query: string; key: string; value: string },
  biases: AttentionInputs['biases'],
): { query: string; key: string; value: string } {
  if (!biases) return projections;
  return {
    query: graph.one('Add', [projections.query, biases.query]),
    key: graph.one('Add', [projections.key, biases.key]),
    value: graph.one('Add', [projections.value, biases.value]),
  };
}

/** 1/√(query_pre_attn_scalar) = 1/√(head size) for every family here. */
export function attentionScale(config: TinyLlamaConfig): number {
  return 1 / Math.sqrt(config.headDimension);
}

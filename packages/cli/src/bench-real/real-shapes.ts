import type { ModelFamily, TinyLlamaOptions } from '@sirllm/testkit';

/** A real model's shape, written by the testkit with random weights (nothing is downloaded). */
export interface RealShape {
  /** File-name stem and `--shape` value, e.g. `qwen2.5-0.5b`. */
  readonly name: string;
  /** The model it has the shape of, for the tables. */
  readonly label: string;
  readonly family: ModelFamily;
  readonly layers: number;
  readonly hiddenSize: number;
  readonly attentionHeads: number;
  readonly keyValueHeads: number;
  readonly intermediateSize: number;
  readonly vocabularySize: number;
}

/** Qwen2.5-0.5B (config.json): 24 layers, width 896, 14/2 heads of 64, MLP 4,864, tied 151,936 vocabulary. */
export const qwenShape: RealShape = {
  name: 'qwen2.5-0.5b',
  label: 'Qwen2.5-0.5B shape',
  family: 'qwen2',
  layers: 24,
  hiddenSize: 896,
  attentionHeads: 14,
  keyValueHeads: 2,
  intermediateSize: 4864,
  vocabularySize: 151936,
};

/** Llama-3.2-1B (config.json): 16 layers, width 2048, 32/8 heads of 64, MLP 8,192, tied 128,256 vocabulary. */
export const llamaShape: RealShape = {
  name: 'llama-3.2-1b',
  label: 'Llama-3.2-1B shape',
  family: 'llama3',
  layers: 16,
  hiddenSize: 2048,
  attentionHeads: 32,
  keyValueHeads: 8,
  intermediateSize: 8192,
  vocabularySize: 128256,
};

export const realShapes: readonly RealShape[] = [qwenShape, llamaShape];

/** The testkit options that give `shape` (the family supplies RoPE, epsilon and biases; tied head). */
export function shapeModelOptions(shape: RealShape): TinyLlamaOptions {
  const { family, layers, hiddenSize, attentionHeads, keyValueHeads, intermediateSize, vocabularySize } =
    shape;
  return {
    family,
    seed: 1,
    layers,
    hiddenSize,
    attentionHeads,
    keyValueHeads,
    intermediateSize,
    vocabularySize,
    tiedEmbeddings: true,
    maximumPositionEmbeddings: 32768,
  };
}

export function headDimensionOf(shape: RealShape): number {
  return shape.hiddenSize / shape.attentionHeads;
}

/** Parameters: embedding (tied with the output layer) + per layer projections, MLP and norms + final norm. */
export function parameterCount(shape: RealShape): number {
  return (
    shape.vocabularySize * shape.hiddenSize +
    shape.layers * (bodyMultiplyAddsPerLayer(shape) + 2 * shape.hiddenSize) +
    shape.hiddenSize
  );
}

/**
 * Multiply-adds per token in one layer's matrices: q, k, v, o projections and the gated MLP (attention
 * scores over the cache are left out: they depend on the context length, not on the shape).
 */
function bodyMultiplyAddsPerLayer(shape: RealShape): number {
  const head = headDimensionOf(shape);
  const query = shape.hiddenSize * shape.attentionHeads * head;
  const keyValue = 2 * shape.hiddenSize * shape.keyValueHeads * head;
  const output = shape.attentionHeads * head * shape.hiddenSize;
  return query + keyValue + output + 3 * shape.hiddenSize * shape.intermediateSize;
}

/**
 * The output-layer floor of prefill with surprisal: scoring every position computes the output layer
 * (vocabulary × width) at every position, which plain prefill skips, so no implementation can go below
 * (body + output) / body FLOPs per token.
 */
export function outputLayerFloor(shape: RealShape): number {
  const body = shape.layers * bodyMultiplyAddsPerLayer(shape);
  return (body + shape.vocabularySize * shape.hiddenSize) / body;
}

/** Bytes of a KV cache holding `tokens` tokens at `bytesPerElement` (keys and values, every layer). */
export function cacheBytes(shape: RealShape, tokens: number, bytesPerElement: number): number {
  return shape.layers * 2 * shape.keyValueHeads * headDimensionOf(shape) * tokens * bytesPerElement;
}

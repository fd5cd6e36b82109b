import { rotateKeyRow } from '@sirllm/core';
import { isSlidingLayer } from '../families/architecture-features.js';
import type { KeyValueCache } from './key-value-cache.js';
import { addBias, geluTanh, multiplyMatrixVector, rmsNorm, rmsNormSpan, silu } from './linear-algebra.js';
import type { LayerWeights, LlamaWeights } from './llama-weights.js';
import type { RotaryTables } from './rotary-tables.js';

/**
 * The decoder forward pass for one token at a time, in float64, against an explicit KV cache: RMSNorm,
 * rotate-half RoPE, grouped-query causal attention over the cached slots, gated MLP, final norm and
 * output projection — with the family's variations (see `ArchitectureFeatures`): q/k/v biases, q/k
 * norms before RoPE, Gemma's (1 + w) norms, sandwich norms, GeGLU, scaled embeddings, sliding-window
 * layers with their own RoPE. Holds scratch buffers, so one instance serves one caller at a time.
 */
export class LlamaForward {
  readonly #hidden: Float64Array;
  readonly #normed: Float64Array;
  readonly #query: Float64Array;
  readonly #attention: Float64Array;
  readonly #projected: Float64Array;
  readonly #gate: Float64Array;
  readonly #up: Float64Array;
  readonly #normOffset: number;
  #scores: Float64Array;

  /** `rotary[layer]` are the tables of each layer (see `layerRotaryTables`). */
  constructor(
    readonly weights: LlamaWeights,
    readonly rotary: readonly RotaryTables[],
  ) {
    const { hiddenSize, attentionHeads, headDimension, intermediateSize, architecture } = weights.config;
    this.#hidden = new Float64Array(hiddenSize);
    this.#normed = new Float64Array(hiddenSize);
    this.#query = new Float64Array(attentionHeads * headDimension);
    this.#attention = new Float64Array(attentionHeads * headDimension);
    this.#projected = new Float64Array(hiddenSize);
    this.#gate = new Float64Array(intermediateSize);
    this.#up = new Float64Array(intermediateSize);
    this.#normOffset = architecture.normWeight === 'offset' ? 1 : 0;
    this.#scores = new Float64Array(64);
  }

  /**
   * Runs `token` at rotary `position`, writing its keys and values into `slot` of `cache` and attending
   * over slots 0..slot (a sliding-window layer: the last `window` of them). Returns the logits of the
   * next token (a new array).
   */
  step(cache: KeyValueCache, token: number, position: number, slot: number): Float64Array {
    const { config, layers } = this.weights;
    const { hiddenSize, rmsNormEpsilon, architecture } = config;
    const hidden = this.#hidden;
    const embeddingScale = architecture.scaledEmbedding ? Math.sqrt(hiddenSize) : 1;
    for (let i = 0; i < hiddenSize; i++) {
      hidden[i] = (this.weights.embedding[token * hiddenSize + i] as number) * embeddingScale;
    }
    layers.forEach((layer, index) => {
      const layerCache = cache.layers[index];
      if (!layerCache) throw new RangeError(`the cache has no layer ${index}`);
      rmsNorm(hidden, layer.inputNorm, rmsNormEpsilon, this.#normed, this.#normOffset);
      this.#attend(layer, index, layerCache, cache, position, slot);
      multiplyMatrixVector(
        layer.output,
        this.#attention,
        this.#projected,
        hiddenSize,
        this.#attention.length,
      );
      this.#addResidual(layer.attentionOutputNorm);

      rmsNorm(hidden, layer.feedForwardNorm, rmsNormEpsilon, this.#normed, this.#normOffset);
      this.#feedForward(layer);
      this.#addResidual(layer.feedForwardOutputNorm);
    });
    rmsNorm(hidden, this.weights.finalNorm, rmsNormEpsilon, this.#normed, this.#normOffset);
    const logits = new Float64Array(config.vocabularySize);
    multiplyMatrixVector(this.weights.outputHead, this.#normed, logits, config.vocabularySize, hiddenSize);
    return logits;
  }

  /** hidden += #projected, normed first by `outputNorm` when the family has one (Gemma's sandwich). */
  #addResidual(outputNorm: Float32Array | undefined): void {
    const { hiddenSize, rmsNormEpsilon } = this.weights.config;
    if (outputNorm !== undefined) {
      rmsNorm(this.#projected, outputNorm, rmsNormEpsilon, this.#projected, this.#normOffset);
    }
    for (let i = 0; i < hiddenSize; i++) {
      this.#hidden[i] = (this.#hidden[i] as number) + (this.#projected[i] as number);
    }
  }

  /** The gated MLP of the normed hidden state, into #projected. */
  #feedForward(layer: LayerWeights): void {
    const { hiddenSize, intermediateSize, architecture } = this.weights.config;
    const activation = architecture.activation === 'gelu-tanh' ? geluTanh : silu;
    multiplyMatrixVector(layer.gate, this.#normed, this.#gate, intermediateSize, hiddenSize);
    multiplyMatrixVector(layer.up, this.#normed, this.#up, intermediateSize, hiddenSize);
    for (let i = 0; i < intermediateSize; i++) {
      this.#gate[i] = activation(this.#gate[i] as number) * (this.#up[i] as number);
    }
    multiplyMatrixVector(layer.down, this.#gate, this.#projected, hiddenSize, intermediateSize);
  }

  /** Self-attention of the normed hidden state; leaves the concatenated head outputs in #attention. */
  #attend(
    layer: LayerWeights,
    layerIndex: number,
    layerCache: { keys: Float64Array; values: Float64Array },
    cache: KeyValueCache,
    position: number,
    slot: number,
  ): void {
    const { hiddenSize, attentionHeads, keyValueHeads, headDimension, rmsNormEpsilon, architecture } =
      this.weights.config;
    const width = cache.rowWidth;
    const { keys, values } = layerCache;
    const table = (this.rotary[layerIndex] as RotaryTables).position(position);
    multiplyMatrixVector(layer.query, this.#normed, this.#query, this.#query.length, hiddenSize);
    const keyRow = keys.subarray(slot * width, (slot + 1) * width);
    const valueRow = values.subarray(slot * width, (slot + 1) * width);
    multiplyMatrixVector(layer.key, this.#normed, keyRow, width, hiddenSize);
    multiplyMatrixVector(layer.value, this.#normed, valueRow, width, hiddenSize);
    if (layer.queryBias) addBias(this.#query, layer.queryBias);
    if (layer.keyBias) addBias(keyRow, layer.keyBias);
    if (layer.valueBias) addBias(valueRow, layer.valueBias);
    for (let head = 0; head < attentionHeads; head++) {
      if (layer.queryNorm) {
        rmsNormSpan(this.#query, head * headDimension, layer.queryNorm, rmsNormEpsilon, this.#normOffset);
      }
      rotateKeyRow(this.#query, head * headDimension, table);
    }
    for (let head = 0; head < keyValueHeads; head++) {
      if (layer.keyNorm) {
        rmsNormSpan(keyRow, head * headDimension, layer.keyNorm, rmsNormEpsilon, this.#normOffset);
      }
      rotateKeyRow(keyRow, head * headDimension, table);
    }

    const sliding = architecture.slidingWindow;
    const first =
      sliding !== undefined && isSlidingLayer(architecture, layerIndex)
        ? Math.max(0, slot - sliding.window + 1)
        : 0;
    if (this.#scores.length < slot + 1)
      this.#scores = new Float64Array(Math.max(slot + 1, this.#scores.length * 2));
    const scores = this.#scores;
    const scale = 1 / Math.sqrt(headDimension);
    const group = attentionHeads / keyValueHeads;
    for (let head = 0; head < attentionHeads; head++) {
      const queryOffset = head * headDimension;
      const keyOffset = Math.floor(head / group) * headDimension;
      let maximum = Number.NEGATIVE_INFINITY;
      for (let j = first; j <= slot; j++) {
        let dot = 0;
        const row = j * width + keyOffset;
        for (let d = 0; d < headDimension; d++)
          dot += (this.#query[queryOffset + d] as number) * (keys[row + d] as number);
        const score = dot * scale;
        scores[j] = score;
        if (score > maximum) maximum = score;
      }
      let total = 0;
      for (let j = first; j <= slot; j++) {
        const weight = Math.exp((scores[j] as number) - maximum);
        scores[j] = weight;
        total += weight;
      }
      for (let d = 0; d < headDimension; d++) this.#attention[queryOffset + d] = 0;
      for (let j = first; j <= slot; j++) {
        const weight = (scores[j] as number) / total;
        const row = j * width + keyOffset;
        for (let d = 0; d < headDimension; d++) {
          this.#attention[queryOffset + d] =
            (this.#attention[queryOffset + d] as number) + weight * (values[row + d] as number);
        }
      }
    }
  }
}

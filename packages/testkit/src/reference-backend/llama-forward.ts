import { rotateKeyRow } from '@sirllm/core';
import type { KeyValueCache } from './key-value-cache.js';
import { multiplyMatrixVector, rmsNorm, silu } from './linear-algebra.js';
import type { LlamaWeights } from './llama-weights.js';
import type { RotaryTables } from './rotary-tables.js';

/**
 * The Llama forward pass for one token at a time, in float64, against an explicit KV cache: RMSNorm,
 * rotate-half RoPE, grouped-query causal attention over the cached slots, SwiGLU MLP, final norm and
 * output projection. Holds scratch buffers, so one instance serves one caller at a time.
 */
export class LlamaForward {
  readonly #hidden: Float64Array;
  readonly #normed: Float64Array;
  readonly #query: Float64Array;
  readonly #attention: Float64Array;
  readonly #projected: Float64Array;
  readonly #gate: Float64Array;
  readonly #up: Float64Array;
  #scores: Float64Array;

  constructor(
    readonly weights: LlamaWeights,
    readonly rotary: RotaryTables,
  ) {
    const { hiddenSize, attentionHeads, headDimension, intermediateSize } = weights.config;
    this.#hidden = new Float64Array(hiddenSize);
    this.#normed = new Float64Array(hiddenSize);
    this.#query = new Float64Array(attentionHeads * headDimension);
    this.#attention = new Float64Array(attentionHeads * headDimension);
    this.#projected = new Float64Array(hiddenSize);
    this.#gate = new Float64Array(intermediateSize);
    this.#up = new Float64Array(intermediateSize);
    this.#scores = new Float64Array(64);
  }

  /**
   * Runs `token` at rotary `position`, writing its keys and values into `slot` of `cache` and attending
   * over slots 0..slot. Returns the logits of the next token (a new array).
   */
  step(cache: KeyValueCache, token: number, position: number, slot: number): Float64Array {
    const { config, layers } = this.weights;
    const { hiddenSize, intermediateSize, rmsNormEpsilon } = config;
    const hidden = this.#hidden;
    for (let i = 0; i < hiddenSize; i++) hidden[i] = this.weights.embedding[token * hiddenSize + i] as number;
    layers.forEach((layer, index) => {
      const layerCache = cache.layers[index];
      if (!layerCache) throw new RangeError(`the cache has no layer ${index}`);
      rmsNorm(hidden, layer.inputNorm, rmsNormEpsilon, this.#normed);
      this.#attend(layer.query, layer.key, layer.value, layerCache, cache, position, slot);
      multiplyMatrixVector(
        layer.output,
        this.#attention,
        this.#projected,
        hiddenSize,
        this.#attention.length,
      );
      for (let i = 0; i < hiddenSize; i++) hidden[i] = (hidden[i] as number) + (this.#projected[i] as number);

      rmsNorm(hidden, layer.postAttentionNorm, rmsNormEpsilon, this.#normed);
      multiplyMatrixVector(layer.gate, this.#normed, this.#gate, intermediateSize, hiddenSize);
      multiplyMatrixVector(layer.up, this.#normed, this.#up, intermediateSize, hiddenSize);
      for (let i = 0; i < intermediateSize; i++)
        this.#gate[i] = silu(this.#gate[i] as number) * (this.#up[i] as number);
      multiplyMatrixVector(layer.down, this.#gate, this.#projected, hiddenSize, intermediateSize);
      for (let i = 0; i < hiddenSize; i++) hidden[i] = (hidden[i] as number) + (this.#projected[i] as number);
    });
    rmsNorm(hidden, this.weights.finalNorm, rmsNormEpsilon, this.#normed);
    const logits = new Float64Array(config.vocabularySize);
    multiplyMatrixVector(this.weights.outputHead, this.#normed, logits, config.vocabularySize, hiddenSize);
    return logits;
  }

  /** Self-attention of the normed hidden state; leaves the concatenated head outputs in #attention. */
  #attend(
    queryWeight: Float32Array,
    keyWeight: Float32Array,
    valueWeight: Float32Array,
    layerCache: { keys: Float64Array; values: Float64Array },
    cache: KeyValueCache,
    position: number,
    slot: number,
  ): void {
    const { hiddenSize, attentionHeads, keyValueHeads, headDimension } = this.weights.config;
    const width = cache.rowWidth;
    const { keys, values } = layerCache;
    const table = this.rotary.position(position);
    multiplyMatrixVector(queryWeight, this.#normed, this.#query, this.#query.length, hiddenSize);
    const keyRow = keys.subarray(slot * width, (slot + 1) * width);
    multiplyMatrixVector(keyWeight, this.#normed, keyRow, width, hiddenSize);
    multiplyMatrixVector(
      valueWeight,
      this.#normed,
      values.subarray(slot * width, (slot + 1) * width),
      width,
      hiddenSize,
    );
    for (let head = 0; head < attentionHeads; head++) rotateKeyRow(this.#query, head * headDimension, table);
    for (let head = 0; head < keyValueHeads; head++) rotateKeyRow(keyRow, head * headDimension, table);

    if (this.#scores.length < slot + 1)
      this.#scores = new Float64Array(Math.max(slot + 1, this.#scores.length * 2));
    const scores = this.#scores;
    const scale = 1 / Math.sqrt(headDimension);
    const group = attentionHeads / keyValueHeads;
    for (let head = 0; head < attentionHeads; head++) {
      const queryOffset = head * headDimension;
      const keyOffset = Math.floor(head / group) * headDimension;
      let maximum = Number.NEGATIVE_INFINITY;
      for (let j = 0; j <= slot; j++) {
        let dot = 0;
        const row = j * width + keyOffset;
        for (let d = 0; d < headDimension; d++)
          dot += (this.#query[queryOffset + d] as number) * (keys[row + d] as number);
        const score = dot * scale;
        scores[j] = score;
        if (score > maximum) maximum = score;
      }
      let total = 0;
      for (let j = 0; j <= slot; j++) {
        const weight = Math.exp((scores[j] as number) - maximum);
        scores[j] = weight;
        total += weight;
      }
      for (let d = 0; d < headDimension; d++) this.#attention[queryOffset + d] = 0;
      for (let j = 0; j <= slot; j++) {
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

import { InvalidOptionError } from '@sirllm/core';
import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';
import { KeyValueCache } from './key-value-cache.js';
import { layerRotaryTables } from './layer-rotary-tables.js';
import { LlamaForward } from './llama-forward.js';
import { resolveLlamaWeights } from './llama-weights.js';

/**
 * A fresh float64 forward pass of `model` over `tokens` from an empty cache: token i sits at rotary
 * position `positions[i]` (default i) and attends to tokens 0..i. Returns one logits row per token (the
 * distribution of the token after it). The independent reference for backend tests.
 */
export function referenceForward(
  model: TinyLlamaModel,
  tokens: readonly number[],
  positions?: readonly number[],
): Float64Array[] {
  const { config } = model;
  if (positions !== undefined && positions.length !== tokens.length) {
    throw new InvalidOptionError({
      option: 'positions',
      value: positions,
      expected: `one position per token (${tokens.length})`,
    });
  }
  tokens.forEach((token) => {
    if (!Number.isInteger(token) || token < 0 || token >= config.vocabularySize) {
      throw new InvalidOptionError({
        option: 'tokens',
        value: token,
        expected: `ids in [0, ${config.vocabularySize})`,
      });
    }
  });
  const forward = new LlamaForward(resolveLlamaWeights(model), layerRotaryTables(config));
  const cache = new KeyValueCache(config.layers, tokens.length, config.keyValueHeads, config.headDimension);
  return tokens.map((token, index) => {
    const position = positions?.[index] ?? index;
    if (!Number.isInteger(position) || position < 0) {
      throw new InvalidOptionError({
        option: 'positions',
        value: position,
        expected: 'non-negative integers',
      });
    }
    return forward.step(cache, token, position, index);
  });
}

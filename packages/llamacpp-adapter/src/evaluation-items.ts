import type { SamplingOptions } from '@sirllm/core';
import type { ControlledEvaluateInputItem, Token } from 'node-llama-cpp';

/** node-llama-cpp brands token ids; SirLLM's are plain integers, validated before they get here. */
export function asToken(token: number): Token {
  return token as Token;
}

/** {@link asToken} for a list. */
export function asTokens(tokens: readonly number[]): Token[] {
  return tokens as Token[];
}

/**
 * A `controlledEvaluate` item whose output scores `following`: the filtered logit of that token, the
 * greedy selection (the argmax, whose logit is the row maximum) and the total logit weight
 * Σ exp(logit − max). −ln P(following) = max − logit[following] + ln(total weight).
 */
export function scoringItem(token: number, following: number): ControlledEvaluateInputItem {
  return [
    asToken(token),
    {
      generateNext: {
        logits: { filter: { tokens: [asToken(following)], includeSelected: true } },
        totalLogitWeight: true,
      },
    },
  ];
}

/**
 * The last item of an append that samples or reports the argmax. Greedy: node-llama-cpp's greedy pick
 * with the filtered raw logit and total weight. Otherwise (temperature, or a grammar constraint) the
 * whole raw logits row is requested, and the caller picks from it in JavaScript: node-llama-cpp
 * reports logits and weights *after* its sampler (temperature, top-k, …), the surprisal of a sampled
 * token must come from the raw distribution, and `controlledEvaluate` applies no grammar.
 */
export function lastItem(
  token: number,
  sample: Required<SamplingOptions> | undefined,
  constrained = false,
): ControlledEvaluateInputItem {
  const greedy = !constrained && (!sample || sample.temperature === 0);
  return [
    asToken(token),
    {
      generateNext: greedy
        ? { token: true, logits: { filter: { tokens: [], includeSelected: true } }, totalLogitWeight: true }
        : { logits: true, totalLogitWeight: true },
    },
  ];
}

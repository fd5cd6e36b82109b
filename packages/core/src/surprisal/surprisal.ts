import { type LogitsRow, logSumExp } from './log-softmax.js';

/**
 * Surprisal (token entropy in the SirLLM paper) of `token` under a full logits row:
 * −ln softmax(row)[token], in nats. Never negative; +∞ when the token's logit is −∞.
 */
export function surprisalFromLogits(row: LogitsRow, token: number): number {
  const logit = row[token];
  if (logit === undefined) throw new RangeError(`token ${token} is outside a logits row of ${row.length}`);
  return clampNonNegative(logSumExp(row) - logit);
}

/**
 * Surprisal from the three numbers node-llama-cpp reports per position: the token's logit, the row's
 * maximum logit, and `totalLogitWeight` = Σ exp(logit − maximum) (≥ 1, since the maximum contributes 1).
 * −ln P = −(selected − maximum − ln totalLogitWeight).
 */
export function surprisalFromLogitSummary(
  selectedLogit: number,
  maximumLogit: number,
  totalLogitWeight: number,
): number {
  return clampNonNegative(maximumLogit - selectedLogit + Math.log(totalLogitWeight));
}

/** Rounding can push −ln P of a near-certain token a hair below zero; surprisal is never negative. */
function clampNonNegative(value: number): number {
  return Math.max(value, 0);
}

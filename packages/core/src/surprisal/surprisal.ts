import { type LogitsRow, logSumExp } from './log-softmax.js';

/**
 * Surprisal (token entropy in the SirLLM paper) of `token` under a full logits row:
 * −ln softmax(row)[token], in nats. Never negative; +∞ when the token's logit is −∞; NaN only when the
 * row holds NaN.
 */
export function surprisalFromLogits(row: LogitsRow, token: number): number {
  const logit = row[token];
  if (logit === undefined) throw new RangeError(`token ${token} is outside a logits row of ${row.length}`);
  const normaliser = logSumExp(row);
  // A +∞ logit takes all the probability: 0 for such a token (ties share it), +∞ for any other.
  if (normaliser === Number.POSITIVE_INFINITY) {
    if (logit !== Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
    let ties = 0;
    for (let i = 0; i < row.length; i++) if (row[i] === Number.POSITIVE_INFINITY) ties++;
    return Math.log(ties);
  }
  return clampNonNegative(normaliser - logit);
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

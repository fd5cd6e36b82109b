import { BackendError } from '../errors/backend-error.js';
import type { RandomSource } from '../random/seeded-random.js';
import type { SamplingOptions } from '../seam/sampling-options.js';
import { argmaxOf, type LogitsRow, maximumOf } from '../surprisal/log-softmax.js';
import { requireInteger, requireNumber } from '../validation/require.js';

/** Checks sampling options and returns them with defaults filled in. */
export function normaliseSamplingOptions(options: SamplingOptions = {}): Required<SamplingOptions> {
  return {
    temperature: requireNumber('sample.temperature', options.temperature ?? 0, { minimum: 0 }),
    topK: requireInteger('sample.topK', options.topK ?? 0, { minimum: 0 }),
    topP: requireNumber('sample.topP', options.topP ?? 1, { minimum: 0, maximum: 1, minimumExclusive: true }),
    minP: requireNumber('sample.minP', options.minP ?? 0, { minimum: 0, maximum: 1 }),
    seed: requireInteger('sample.seed', options.seed ?? 0, { minimum: 0, maximum: 0xffffffff }),
  };
}

/**
 * The distribution a non-greedy draw picks from: the tokens that survive temperature → top-k → top-p →
 * min-p, most probable first (ties to the lower id), with their probabilities renormalised to sum to 1.
 */
export interface SamplingCandidates {
  /** The surviving token ids, most probable first. */
  readonly tokens: Int32Array;
  /** Their renormalised probabilities, in the same order. */
  readonly probabilities: Float64Array;
}

/**
 * The candidates of a non-greedy pick from a raw logits row (temperature > 0 and no +∞ logit; see
 * {@link sampleToken}). A draw u ∈ [0, 1) picks the first candidate whose cumulative probability
 * exceeds u. Throws `BackendError` for a NaN or all −∞ row.
 */
export function samplingCandidates(row: LogitsRow, options: Required<SamplingOptions>): SamplingCandidates {
  const maximum = maximumOf(row);
  if (Number.isNaN(maximum)) throw new BackendError('The model produced NaN logits; cannot pick a token.');
  if (maximum === Number.NEGATIVE_INFINITY) throw new BackendError('Every logit is −∞; cannot pick a token.');
  const candidates: { token: number; weight: number }[] = [];
  for (let token = 0; token < row.length; token++) {
    const weight = Math.exp(((row[token] as number) - maximum) / options.temperature);
    if (weight > 0) candidates.push({ token, weight });
  }
  candidates.sort((a, b) => b.weight - a.weight || a.token - b.token);
  let kept = options.topK > 0 ? candidates.slice(0, options.topK) : candidates;
  const total = kept.reduce((sum, candidate) => sum + candidate.weight, 0);
  if (options.topP < 1) {
    let cumulative = 0;
    let cut = kept.length;
    for (let i = 0; i < kept.length; i++) {
      cumulative += (kept[i] as { weight: number }).weight / total;
      if (cumulative >= options.topP) {
        cut = i + 1;
        break;
      }
    }
    kept = kept.slice(0, cut);
  }
  if (options.minP > 0) {
    const floor = (kept[0] as { weight: number }).weight * options.minP;
    kept = kept.filter((candidate) => candidate.weight >= floor);
  }
  const keptTotal = kept.reduce((sum, candidate) => sum + candidate.weight, 0);
  return {
    tokens: Int32Array.from(kept, (candidate) => candidate.token),
    probabilities: Float64Array.from(kept, (candidate) => candidate.weight / keptTotal),
  };
}

/** The candidate a draw `u` ∈ [0, 1) picks: the first whose cumulative probability exceeds `u`. */
export function pickCandidate(candidates: SamplingCandidates, u: number): number {
  const { tokens, probabilities } = candidates;
  let cumulative = 0;
  for (let i = 0; i < tokens.length; i++) {
    cumulative += probabilities[i] as number;
    if (u < cumulative) return tokens[i] as number;
  }
  return tokens[tokens.length - 1] as number;
}

/**
 * Picks a token from a raw logits row: greedy for temperature 0 (ties to the lowest id), otherwise
 * temperature → top-k → top-p → min-p ({@link samplingCandidates}) and one draw from `random`
 * ({@link pickCandidate}). Backends call `sampleNext`, which also fixes where the draws come from.
 */
export function sampleToken(
  row: LogitsRow,
  options: Required<SamplingOptions>,
  random: RandomSource,
): number {
  const maximum = maximumOf(row);
  if (Number.isNaN(maximum)) throw new BackendError('The model produced NaN logits; cannot pick a token.');
  if (maximum === Number.NEGATIVE_INFINITY) throw new BackendError('Every logit is −∞; cannot pick a token.');
  // Greedy, or a distribution that puts all its mass on +∞ logits: the first of them.
  if (options.temperature === 0 || maximum === Number.POSITIVE_INFINITY) return argmaxOf(row);
  return pickCandidate(samplingCandidates(row, options), random.next());
}

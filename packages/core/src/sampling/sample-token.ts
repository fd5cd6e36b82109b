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
 * Picks a token from a raw logits row: greedy for temperature 0 (ties to the lowest id), otherwise
 * temperature → top-k → top-p → min-p → a draw from `random`. For backends that compute logits in
 * JavaScript (the reference backend, transformers.js).
 */
export function sampleToken(
  row: LogitsRow,
  options: Required<SamplingOptions>,
  random: RandomSource,
): number {
  const maximum = maximumOf(row);
  if (Number.isNaN(maximum)) throw new BackendError('The model produced NaN logits; cannot pick a token.');
  // Greedy, or a distribution that puts all its mass on +∞ logits: the first of them.
  if (options.temperature === 0 || maximum === Number.POSITIVE_INFINITY) return argmaxOf(row);
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
  let draw = random.next() * keptTotal;
  for (const candidate of kept) {
    draw -= candidate.weight;
    if (draw < 0) return candidate.token;
  }
  return (kept[kept.length - 1] as { token: number }).token;
}

import { createRandom, type RandomSource } from '../random/seeded-random.js';
import type { ConstraintState } from '../seam/sampling-constraint.js';
import type { SamplingOptions } from '../seam/sampling-options.js';
import type { LogitsRow } from '../surprisal/log-softmax.js';
import { surprisalFromLogits } from '../surprisal/surprisal.js';
import { sampleConstrainedToken } from './sample-constrained-token.js';
import { normaliseSamplingOptions, sampleToken } from './sample-token.js';

/** Where {@link sampleNext} draws from and which tokens it may pick. */
export interface SampleNextOptions {
  /**
   * Which draw of its sequence this pick is: the number of earlier `append` calls with `sample` that
   * succeeded on the sequence since it was created or restored. The pick draws from
   * `samplingRandom(seed, draw)`. Default 0.
   */
  readonly draw?: number;
  /** Draw from this source instead (tests, callers outside a sequence); `draw` and `seed` are then unused. */
  readonly random?: RandomSource;
  /** When given, only tokens it allows are candidates (see `sampleConstrainedToken`). */
  readonly constraint?: Pick<ConstraintState, 'allows'> | undefined;
}

/** A picked token and its surprisal under the raw row. */
export interface SampledToken {
  /** The picked token id. */
  readonly token: number;
  /** −ln softmax(row)[token]: the raw distribution, before temperature, top-k, top-p, min-p and constraint. */
  readonly surprisal: number;
}

/**
 * The generator of one sequence's `draw`-th pick with `seed`: `createRandom(mix(seed, draw))`, where mix
 * is a 32-bit hash of both (so neighbouring draws and seeds give unrelated streams). Every backend
 * uses it, so the same seed and logits pick the same tokens everywhere.
 */
export function samplingRandom(seed: number, draw: number): RandomSource {
  return createRandom(finalise((seed >>> 0) ^ finalise((draw + 0x9e3779b9) >>> 0)));
}

/**
 * The one sampler every backend's `KVSequence.append(…, { sample })` calls: picks the next token from a
 * raw logits row and returns it with its raw surprisal.
 *
 * - temperature 0 (the default): greedy, the most probable token, ties to the lowest id; no draw.
 * - otherwise temperature → top-k → top-p → min-p over the row, then one uniform draw from
 *   `samplingRandom(seed, draw)` (see {@link SampleNextOptions.draw}).
 * - with a constraint, only allowed tokens are candidates: the unconstrained pick is tried first and,
 *   when refused, drawn again (same generator) from the row with every refused token masked.
 *
 * `surprisal` is always −ln softmax of the raw row, whatever the options. Throws `BackendError` for a
 * NaN row, an all −∞ row, or a constraint that allows no token; `InvalidOptionError` for bad options.
 */
export function sampleNext(
  row: LogitsRow,
  sample: SamplingOptions,
  options: SampleNextOptions = {},
): SampledToken {
  const sampling = normaliseSamplingOptions(sample);
  const random = options.random ?? samplingRandom(sampling.seed, options.draw ?? 0);
  const token = options.constraint
    ? sampleConstrainedToken(row, sampling, random, options.constraint)
    : sampleToken(row, sampling, random);
  return { token, surprisal: surprisalFromLogits(row, token) };
}

/** MurmurHash3's 32-bit finaliser: a bijection on 32-bit integers that mixes every bit. */
function finalise(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

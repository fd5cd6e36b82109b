import { createRandom } from '../random/seeded-random.js';
import { requireInteger } from '../validation/require.js';
import { createSelectionPolicy } from './create-selection-policy.js';
import { type BasePolicyOptions, validateSinksAndRecent } from './policy-options.js';
import type { RetentionPolicy } from './retention-policy.js';

export interface RandomPolicyOptions extends BasePolicyOptions {
  /** Seed of the policy's own generator: the same seed and calls give the same selections. Default 0. */
  readonly seed?: number;
}

/** The paper's "RandomLLM" baseline: the sinks plus uniformly random history tokens. */
export function random(options: RandomPolicyOptions = {}): RetentionPolicy {
  const { sinks, recent } = validateSinksAndRecent('random', options);
  const generator = createRandom(
    requireInteger('random.seed', options.seed ?? 0, { minimum: 0, maximum: 0xffffffff }),
  );
  return createSelectionPolicy({
    name: 'random',
    sinks,
    recent,
    decay: 1,
    choose: ({ count, historyStart, historyEnd }) => {
      const span = historyEnd - historyStart;
      const picks = Math.min(count, span);
      // Partial Fisher–Yates over the history indices: O(span).
      const pool = new Uint32Array(span);
      for (let i = 0; i < span; i++) pool[i] = historyStart + i;
      for (let i = 0; i < picks; i++) {
        const j = i + generator.nextInteger(span - i);
        const chosen = pool[j] as number;
        pool[j] = pool[i] as number;
        pool[i] = chosen;
      }
      return pool.subarray(0, picks);
    },
  });
}

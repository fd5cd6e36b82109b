import { createSelectionPolicy } from './create-selection-policy.js';
import { type BasePolicyOptions, validateSinksAndRecent } from './policy-options.js';
import type { RetentionPolicy } from './retention-policy.js';

/**
 * The paper's "IntervalLLM" baseline: the sinks plus history tokens at an even stride
 * (picks k of n history tokens at offsets ⌊i·n/k⌋, so gaps differ by at most one).
 */
export function interval(options: BasePolicyOptions = {}): RetentionPolicy {
  const { sinks, recent } = validateSinksAndRecent('interval', options);
  return createSelectionPolicy({
    name: 'interval',
    sinks,
    recent,
    decay: 1,
    choose: ({ count, historyStart, historyEnd }) => {
      const span = historyEnd - historyStart;
      const picks = Math.min(count, span);
      const out = new Uint32Array(picks);
      for (let i = 0; i < picks; i++) out[i] = historyStart + Math.floor((i * span) / picks);
      return out;
    },
  });
}

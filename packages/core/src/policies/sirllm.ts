import { createSelectionPolicy } from './create-selection-policy.js';
import { type BasePolicyOptions, validateDecay, validateSinksAndRecent } from './policy-options.js';
import type { RetentionPolicy } from './retention-policy.js';
import { topIndicesByScore } from './select-by-score.js';

export interface SirLLMOptions extends BasePolicyOptions {
  /**
   * η: every resident score is multiplied by this once per dialogue turn, so old key tokens fade.
   * Default 1 (no decay). The paper tuned it per task: 0.5–0.7 for DailyDialog, 0.7–0.9 for
   * Rock-Paper-Scissors, 1 for the Grocery memory test.
   */
  readonly decay?: number;
}

/**
 * SirLLM: keep the sinks and the tokens with the highest decayed surprisal. As in the reference code,
 * the top-k runs over the whole cache (sinks included), and room left by overlaps goes to the newest
 * tokens; ties go to the earlier token.
 */
export function sirllm(options: SirLLMOptions = {}): RetentionPolicy {
  const { sinks, recent } = validateSinksAndRecent('sirllm', options);
  const decay = validateDecay('sirllm', options.decay ?? 1);
  return createSelectionPolicy({
    name: 'sirllm',
    sinks,
    recent,
    decay,
    choose: ({ ledger, count }) => topIndicesByScore(ledger.scores, ledger.length, count),
  });
}

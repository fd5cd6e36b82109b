import { createSelectionPolicy } from './create-selection-policy.js';
import { type BasePolicyOptions, validateSinksAndRecent } from './policy-options.js';
import type { RetentionPolicy } from './retention-policy.js';

/** StreamingLLM: the sinks plus the newest tokens (the paper's "StreamLLM" baseline). No decay. */
export function streamingLLM(options: BasePolicyOptions = {}): RetentionPolicy {
  const { sinks, recent } = validateSinksAndRecent('streamingLLM', options);
  return createSelectionPolicy({ name: 'streaming-llm', sinks, recent, decay: 1, choose: () => [] });
}

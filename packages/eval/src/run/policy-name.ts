import {
  full,
  InvalidOptionError,
  interval,
  type RetentionPolicy,
  random,
  sirllm,
  streamingLLM,
} from '@sirllm/core';

/** The policies the paper compares, plus `full` (no eviction; only where the episode fits). */
export type PolicyName = 'sirllm' | 'streaming-llm' | 'random' | 'interval' | 'full';

export const policyNames: readonly PolicyName[] = ['streaming-llm', 'random', 'interval', 'sirllm', 'full'];

/** Column titles of the paper's tables. */
export const policyTitles: Readonly<Record<PolicyName, string>> = {
  'streaming-llm': 'Stream',
  random: 'Random',
  interval: 'Interval',
  sirllm: 'SirLLM',
  full: 'Full',
};

/** Checks a policy name (accepting `stream`/`streamingllm` for `streaming-llm`). */
export function parsePolicyName(value: string): PolicyName {
  const normalised = value.trim().toLowerCase();
  if (normalised === 'stream' || normalised === 'streamingllm' || normalised === 'streaming')
    return 'streaming-llm';
  if ((policyNames as readonly string[]).includes(normalised)) return normalised as PolicyName;
  throw new InvalidOptionError({
    option: 'policy',
    value,
    expected: `one of ${policyNames.join(', ')} (or "all")`,
  });
}

/**
 * The policy of one run at the shared settings. Baselines follow the paper: StreamingLLM, Random and
 * Interval use η = 1; only SirLLM decays.
 */
export function createPolicy(
  name: PolicyName,
  settings: { sinks: number; decay: number; seed: number },
): RetentionPolicy {
  switch (name) {
    case 'sirllm':
      return sirllm({ sinks: settings.sinks, decay: settings.decay });
    case 'streaming-llm':
      return streamingLLM({ sinks: settings.sinks });
    case 'random':
      return random({ sinks: settings.sinks, seed: settings.seed });
    case 'interval':
      return interval({ sinks: settings.sinks });
    case 'full':
      return full();
  }
}

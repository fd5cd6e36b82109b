import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { full } from '../policies/full.js';
import { interval } from '../policies/interval.js';
import type { RetentionPolicy } from '../policies/retention-policy.js';
import { sirllm } from '../policies/sirllm.js';
import { streamingLLM } from '../policies/streaming-llm.js';

/** Rebuilds a built-in policy from the settings a snapshot recorded. */
export function policyFromSnapshot(settings: {
  name: string;
  sinks: number;
  recent: number;
  decay: number;
}): RetentionPolicy {
  const { name, sinks, recent, decay } = settings;
  switch (name) {
    case 'sirllm':
      return sirllm({ sinks, recent, decay });
    case 'streaming-llm':
      return streamingLLM({ sinks, recent });
    case 'interval':
      return interval({ sinks, recent });
    case 'full':
      return full();
    default:
      throw new InvalidOptionError({
        option: 'policy',
        value: undefined,
        expected: `the "${name}" policy the snapshot was taken with (pass it as \`policy\`; it cannot be rebuilt from the snapshot)`,
      });
  }
}

import type { KVBackend, RetentionPolicy } from '@sirllm/core';
import { createPolicy, parsePolicyName, policyNames } from '@sirllm/eval';
import {
  optionInteger,
  optionNumber,
  optionText,
  type ParsedArguments,
} from '../arguments/parse-arguments.js';
import { UsageError } from '../arguments/usage-error.js';
import { loadBackend } from '../backends/load-backend.js';

/** Options shared by `chat` and `inspect`. */
export const sessionOptionSpecification = {
  backend: { value: true },
  model: { value: true },
  policy: { value: true },
  capacity: { value: true },
  decay: { value: true },
  sinks: { value: true },
  seed: { value: true },
} as const;

const otherPolicies = policyNames.filter((name) => name !== 'sirllm');
const policyList = `sirllm (default), ${otherPolicies.slice(0, -1).join(', ')} or ${otherPolicies.at(-1)}`;

export const sessionOptionUsage = `  --backend <name>       reference (default; testkit model, no download), llamacpp or transformers
  --model <model>        a model file or folder; for reference: tiny:layers=2,seed=3 (default)
  --policy <name>        ${policyList}
  --capacity <n>         cache cells (default %CAPACITY%)
  --decay <η>            SirLLM's η in (0, 1] (default 1)
  --sinks <n>            attention sinks (default 4)
  --seed <n>             seed of the random policy (default 0)`;

/** The backend, policy and capacity from the shared options. */
export async function sessionFromArguments(
  command: string,
  parsed: ParsedArguments,
  defaultCapacity: number,
): Promise<{ backend: KVBackend; policy: RetentionPolicy; capacity: number }> {
  let policyName: ReturnType<typeof parsePolicyName>;
  try {
    policyName = parsePolicyName(optionText(parsed, 'policy') ?? 'sirllm');
  } catch (error) {
    throw new UsageError(command, error instanceof Error ? error.message : String(error));
  }
  const policy = createPolicy(policyName, {
    sinks: optionInteger(command, parsed, 'sinks') ?? 4,
    decay: optionNumber(command, parsed, 'decay', { exclusiveMinimum: 0, maximum: 1 }) ?? 1,
    seed: optionInteger(command, parsed, 'seed') ?? 0,
  });
  const capacity =
    optionInteger(command, parsed, 'capacity', { minimum: policy.sinks + 8 }) ?? defaultCapacity;
  const backend = await loadBackend(
    command,
    optionText(parsed, 'backend') ?? 'reference',
    optionText(parsed, 'model') ?? 'tiny:layers=2,seed=3',
  );
  return { backend, policy, capacity };
}

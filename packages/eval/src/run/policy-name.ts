import { InvalidOptionError, policyRegistry, type RetentionPolicy } from '@sirllm/core';

/**
 * The name of a policy in `policyRegistry` (`@sirllm/core`): the paper's `streaming-llm`, `random`,
 * `interval`, `sirllm`, plus `full` (no eviction; only where the episode fits), or one the application
 * registered.
 */
export type PolicyName = string;

/** The built-in policies, in the paper's table order (those registered when this module loaded). */
export const policyNames: readonly PolicyName[] = policyRegistry.list().map((definition) => definition.name);

/** Column titles of the paper's tables, for the policies in `policyNames`. */
export const policyTitles: Readonly<Record<PolicyName, string>> = Object.fromEntries(
  policyRegistry.list().map((definition) => [definition.name, definition.title ?? definition.name]),
);

/** The column title of a registered policy (its name when it has none). */
export function policyTitle(name: PolicyName): string {
  const definition = policyRegistry.find(name);
  return definition?.title ?? definition?.name ?? name;
}

/**
 * Checks a policy name against the registry (accepting its aliases, e.g. `stream`/`streamingllm` for
 * `streaming-llm`) and returns the registered name; an unknown name throws `InvalidOptionError`.
 */
export function parsePolicyName(value: string): PolicyName {
  const definition = policyRegistry.find(value);
  if (definition === undefined) {
    throw new InvalidOptionError({
      option: 'policy',
      value,
      expected: `one of ${policyRegistry
        .list()
        .map((entry) => entry.name)
        .join(', ')} (or "all")`,
    });
  }
  return definition.name;
}

/**
 * The policy of one run at the shared settings, from the registry. Baselines follow the paper:
 * StreamingLLM, Random and Interval use η = 1; only SirLLM decays.
 */
export function createPolicy(
  name: PolicyName,
  settings: { sinks: number; decay: number; seed: number },
): RetentionPolicy {
  return policyRegistry.get(name).create(settings);
}

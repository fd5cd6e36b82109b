import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { policyRegistry } from '../policies/policy-registry.js';
import type { RetentionPolicy } from '../policies/retention-policy.js';

/**
 * Rebuilds the policy a snapshot recorded from its registry entry (built-in or registered by the
 * application). Policies that are not registered, or whose recorded settings cannot rebuild them
 * (`restorable: false`, e.g. `random`), must be passed to `MemorySession.restore` as `policy`.
 */
export function policyFromSnapshot(settings: {
  name: string;
  sinks: number;
  recent: number;
  decay: number;
}): RetentionPolicy {
  const { name, sinks, recent, decay } = settings;
  const definition = policyRegistry.find(name);
  if (definition === undefined || definition.restorable === false || definition.name !== name) {
    throw new InvalidOptionError({
      option: 'policy',
      value: undefined,
      expected: `the "${name}" policy the snapshot was taken with (pass it as \`policy\`; it cannot be rebuilt from the snapshot)`,
    });
  }
  return definition.create({ sinks, recent, decay });
}

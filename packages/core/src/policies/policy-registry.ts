import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { full } from './full.js';
import { interval } from './interval.js';
import { random } from './random.js';
import type { RetentionPolicy } from './retention-policy.js';
import { sirllm } from './sirllm.js';
import { streamingLLM } from './streaming-llm.js';

/**
 * The settings a registered policy is built from: the CLI's and the evaluation's shared flags, or what a
 * session snapshot recorded (`sinks`, `recent`, `decay`; never `seed`). Every field is optional; a policy
 * uses the ones it has and its own defaults for the rest, and ignores the others.
 */
export interface PolicySettings {
  /** Attention sinks: how many of the first tokens are always kept. */
  readonly sinks?: number;
  /** How many of the newest tokens are always kept. */
  readonly recent?: number;
  /** The factor every score is multiplied by at each turn (the SirLLM decay η). */
  readonly decay?: number;
  /** Seed of a randomised policy (`random`). */
  readonly seed?: number;
}

/** One entry of the policy registry: a name and how to build the policy. */
export interface PolicyDefinition {
  /** The `RetentionPolicy.name` the created policy carries, which snapshots record, e.g. `streaming-llm`. */
  readonly name: string;
  /** Other names the CLI and the evaluation accept (matched like `name`: trimmed, case-insensitive). */
  readonly aliases?: readonly string[];
  /** Column title in evaluation reports (default: `name`). */
  readonly title?: string;
  /** Builds the policy; throws `InvalidOptionError` for settings it cannot use. */
  readonly create: (settings: PolicySettings) => RetentionPolicy;
  /**
   * Whether the settings a snapshot records (the policy's `name`, `sinks`, `recent`, `decay`) rebuild it.
   * Default true. False for `random`, whose seed and generator state are not recorded: restoring its
   * snapshots needs the policy passed as `MemorySession.restore({ policy })`.
   */
  readonly restorable?: boolean;
}

/**
 * Name → policy. `MemorySession.restore` rebuilds recorded policies from it, and the CLI (`--policy`) and
 * `@sirllm/eval` (`parsePolicyName`, `createPolicy`) read it, so a registered policy works everywhere.
 */
export interface PolicyRegistry {
  /** Adds a definition; throws `InvalidOptionError` when its name or an alias is taken. Returns it. */
  register(definition: PolicyDefinition): PolicyDefinition;
  /** The definition with this name or alias (trimmed, case-insensitive), or undefined. */
  find(name: string): PolicyDefinition | undefined;
  /** Like `find`, but throws `InvalidOptionError` (option `policy`) listing the registered names. */
  get(name: string): PolicyDefinition;
  /** Every definition, in registration order (the built-ins first, in the paper's table order). */
  list(): readonly PolicyDefinition[];
}

/** Checks a policy definition (`InvalidOptionError` naming the field) and returns it frozen. */
export function definePolicy(definition: PolicyDefinition): PolicyDefinition {
  if (typeof definition !== 'object' || definition === null) {
    throw new InvalidOptionError({
      option: 'definePolicy',
      value: definition,
      expected: 'a policy definition',
    });
  }
  const text = (option: string, value: unknown) => {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new InvalidOptionError({ option, value, expected: 'a non-empty string' });
    }
  };
  text('definePolicy.name', definition.name);
  for (const alias of definition.aliases ?? []) text('definePolicy.aliases', alias);
  if (definition.title !== undefined) text('definePolicy.title', definition.title);
  if (typeof definition.create !== 'function') {
    throw new InvalidOptionError({
      option: 'definePolicy.create',
      value: definition.create,
      expected: 'a function (settings) => RetentionPolicy',
    });
  }
  return Object.freeze({ ...definition, aliases: Object.freeze([...(definition.aliases ?? [])]) });
}

/** A registry holding `definitions`. `policyRegistry` is the one the library reads. */
export function createPolicyRegistry(definitions: readonly PolicyDefinition[] = []): PolicyRegistry {
  const entries: PolicyDefinition[] = [];
  const byKey = new Map<string, PolicyDefinition>();
  const key = (name: string) => name.trim().toLowerCase();
  const registry: PolicyRegistry = {
    register(input) {
      const definition = definePolicy(input);
      const names = [definition.name, ...(definition.aliases ?? [])];
      for (const name of names) {
        if (byKey.has(key(name))) {
          throw new InvalidOptionError({
            option: 'policy',
            value: name,
            expected: `a name not registered yet (taken by the "${byKey.get(key(name))?.name}" policy)`,
          });
        }
      }
      for (const name of names) byKey.set(key(name), definition);
      entries.push(definition);
      return definition;
    },
    find: (name) => (typeof name === 'string' ? byKey.get(key(name)) : undefined),
    get(name) {
      const definition = registry.find(name);
      if (definition === undefined) {
        throw new InvalidOptionError({
          option: 'policy',
          value: name,
          expected: `one of ${entries.map((entry) => entry.name).join(', ')}`,
        });
      }
      return definition;
    },
    list: () => [...entries],
  };
  for (const definition of definitions) registry.register(definition);
  return registry;
}

/** The built-in policies and every policy registered by the application. A new built-in is one line. */
export const policyRegistry: PolicyRegistry = createPolicyRegistry([
  {
    name: 'streaming-llm',
    title: 'Stream',
    aliases: ['stream', 'streamingllm', 'streaming'],
    create: ({ sinks, recent }) => streamingLLM({ sinks, recent }),
  },
  {
    name: 'random',
    title: 'Random',
    restorable: false,
    create: ({ sinks, recent, seed }) => random({ sinks, recent, seed }),
  },
  { name: 'interval', title: 'Interval', create: ({ sinks, recent }) => interval({ sinks, recent }) },
  { name: 'sirllm', title: 'SirLLM', create: ({ sinks, recent, decay }) => sirllm({ sinks, recent, decay }) },
  { name: 'full', title: 'Full', create: () => full() },
]);

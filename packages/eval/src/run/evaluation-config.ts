import { InvalidOptionError, requireInteger, requireNumber } from '@sirllm/core';
import { type PromptFormatName, promptFormatNames } from '../prompt/prompt-format.js';
import { type ScoringMode, scoringModes } from '../scoring/ask-question.js';
import { type TaskName, taskDefaults, taskNames } from '../tasks/task-name.js';
import { type PolicyName, parsePolicyName, policyNames } from './policy-name.js';

/**
 * One evaluation run: a task on one model, for one or more policies at the same cache budget. The
 * results folder is named from it and stores it (`config.json`); the same config resumes the same
 * folder. Every field but `task`, `backend` and `model` has a default.
 */
export interface EvaluationConfig {
  /** The task to run. */
  readonly task: TaskName;
  /** `reference` (testkit model), `llamacpp` or `transformers`. */
  readonly backend: string;
  /** A model file or folder, or for `reference` a testkit spec such as `tiny:layers=2,seed=3`. */
  readonly model: string;
  /** Policies compared at the same budget (default: all but `full`). */
  readonly policies: readonly PolicyName[];
  /** KV cells per session (default: the paper's, 512 for DailyDialog and 1024 otherwise). */
  readonly capacity: number;
  /** SirLLM's η (default: the paper's Vicuna-7B value for the task). Baselines always use 1. */
  readonly decay: number;
  /** Attention sinks (default 4). */
  readonly sinks: number;
  /** What is scored: the option's label (`letter`, default) or its text (`cloze`). */
  readonly scoring: ScoringMode;
  /** How questions are wrapped for the model (default `vicuna`). */
  readonly promptFormat: PromptFormatName;
  /** Items (DailyDialog), episodes (Grocery) or rounds per player (RPS); absent = the paper's amount. */
  readonly limit?: number;
  /**
   * Grocery only: episodes skipped before `limit` counts, e.g. `skip: 350, limit: 50` for the episodes
   * 350–399 that the bundled demo model never saw in training.
   */
  readonly skip?: number;
  /** Seed of the Random policy's first run (default 0). */
  readonly seed: number;
  /** Random is averaged over this many seeds: seed, seed + 1, … (default 3). */
  readonly randomSeeds: number;
  /**
   * llama.cpp only: the element type of its key-value cache; absent means llama.cpp's default (`f16`).
   * It changes the numbers, so it is part of the config and of the folder name.
   */
  readonly keyValueCacheType?: KeyValueCacheType;
}

/** Element types of a llama.cpp key-value cache an evaluation can ask for. */
export const keyValueCacheTypes = ['f16', 'f32'] as const;
/** One of `keyValueCacheTypes`. */
export type KeyValueCacheType = (typeof keyValueCacheTypes)[number];

/** What a caller must give; the rest is filled in by {@link resolveEvaluationConfig}. */
export type EvaluationConfigInput = Pick<EvaluationConfig, 'task' | 'backend' | 'model'> &
  Partial<Omit<EvaluationConfig, 'task' | 'backend' | 'model' | 'policies'>> & {
    /** Policy names or aliases, parsed with `parsePolicyName`. */
    readonly policies?: readonly string[];
  };

/** Validates a config and fills in the defaults; throws `InvalidOptionError` naming the field. */
export function resolveEvaluationConfig(input: EvaluationConfigInput): EvaluationConfig {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidOptionError({ option: 'config', value: input, expected: 'a config object' });
  }
  if (!taskNames.includes(input.task)) {
    throw new InvalidOptionError({
      option: 'task',
      value: input.task,
      expected: `one of ${taskNames.join(', ')}`,
    });
  }
  const defaults = taskDefaults[input.task];
  const text = (option: string, value: unknown) => {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new InvalidOptionError({ option, value, expected: 'a non-empty string' });
    }
    return value;
  };
  const policies = (input.policies ?? policyNames.filter((name) => name !== 'full')).map(parsePolicyName);
  if (policies.length === 0) {
    throw new InvalidOptionError({ option: 'policies', value: policies, expected: 'at least one policy' });
  }
  const scoring = input.scoring ?? 'letter';
  if (!scoringModes.includes(scoring)) {
    throw new InvalidOptionError({ option: 'scoring', value: scoring, expected: scoringModes.join(' or ') });
  }
  const promptFormat = input.promptFormat ?? 'vicuna';
  if (!promptFormatNames.includes(promptFormat)) {
    throw new InvalidOptionError({
      option: 'promptFormat',
      value: promptFormat,
      expected: `one of ${promptFormatNames.join(', ')}`,
    });
  }
  const sinks = requireInteger('sinks', input.sinks ?? defaults.sinks, { minimum: 0 });
  return {
    task: input.task,
    backend: text('backend', input.backend),
    model: text('model', input.model),
    policies: [...new Set(policies)],
    capacity: requireInteger('capacity', input.capacity ?? defaults.capacity, { minimum: sinks + 2 }),
    decay: requireNumber('decay', input.decay ?? defaults.decay, {
      minimum: 0,
      maximum: 1,
      minimumExclusive: true,
      description: 'a number in (0, 1] (1 means no decay)',
    }),
    sinks,
    scoring,
    promptFormat,
    ...(input.limit === undefined ? {} : { limit: requireInteger('limit', input.limit, { minimum: 1 }) }),
    ...(input.skip === undefined || input.skip === 0 ? {} : { skip: requireSkip(input.task, input.skip) }),
    seed: requireInteger('seed', input.seed ?? 0, { minimum: 0, maximum: 0xffff_ffff }),
    randomSeeds: requireInteger('randomSeeds', input.randomSeeds ?? 3, { minimum: 1, maximum: 100 }),
    ...(input.keyValueCacheType === undefined
      ? {}
      : { keyValueCacheType: requireKeyValueCacheType(input.backend, input.keyValueCacheType) }),
  };
}

function requireKeyValueCacheType(backend: string, type: string): KeyValueCacheType {
  if (!(keyValueCacheTypes as readonly string[]).includes(type)) {
    throw new InvalidOptionError({
      option: 'keyValueCacheType',
      value: type,
      expected: keyValueCacheTypes.join(' or '),
    });
  }
  if (backend !== 'llamacpp') {
    throw new InvalidOptionError({
      option: 'keyValueCacheType',
      value: type,
      expected: `no cache type for the ${backend} backend (it applies to llamacpp only)`,
    });
  }
  return type as KeyValueCacheType;
}

function requireSkip(task: TaskName, skip: number): number {
  if (task !== 'grocery') {
    throw new InvalidOptionError({
      option: 'skip',
      value: skip,
      expected: 'no skip: only grocery episodes can be skipped',
    });
  }
  return requireInteger('skip', skip, { minimum: 0 });
}

/**
 * The results folder's name, from the config: task, backend, model (its last path part), policies,
 * capacity, η, scoring, prompt format, limit and seed, e.g.
 * `dailydialog_reference_tiny-layers-2_stream+random+interval+sirllm_c512_eta0.5_letter_vicuna_n20_s0`.
 */
export function resultsFolderName(config: EvaluationConfig): string {
  const slug = (value: string) =>
    value
      .replace(/[\\/]+$/u, '')
      .split(/[\\/]/u)
      .pop()
      ?.replace(/[^A-Za-z0-9._-]+/gu, '-')
      .replace(/^-+|-+$/gu, '')
      .slice(0, 40) || 'model';
  const policies = config.policies.map((name) => (name === 'streaming-llm' ? 'stream' : name)).join('+');
  return [
    config.task,
    slug(config.backend),
    slug(config.model),
    policies,
    `c${config.capacity}`,
    `eta${config.decay}`,
    `sinks${config.sinks}`,
    config.scoring,
    config.promptFormat,
    `${config.skip === undefined ? '' : `from${config.skip}`}n${config.limit ?? 'all'}`,
    `s${config.seed}x${config.randomSeeds}`,
    ...(config.keyValueCacheType === undefined ? [] : [`kv${config.keyValueCacheType}`]),
  ].join('_');
}

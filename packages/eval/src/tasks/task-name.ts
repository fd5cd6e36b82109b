import type { ChoiceRule } from '../scoring/choose-option.js';

/** The paper's three tasks. */
export type TaskName = 'dailydialog' | 'grocery' | 'rock-paper-scissors';

/** The task names, for validation and help texts. */
export const taskNames: readonly TaskName[] = ['dailydialog', 'grocery', 'rock-paper-scissors'];

/** What the paper's runs used per task (§3 of the notes): cache size, sinks, decay η, choice rule. */
export interface TaskDefaults {
  /** KV cells per session. */
  readonly capacity: number;
  /** Attention sinks. */
  readonly sinks: number;
  /** η of the SirLLM runs; the paper's Vicuna-7B value (the default prompt format is Vicuna's). */
  readonly decay: number;
  /** How the option is chosen from the scores. */
  readonly rule: ChoiceRule;
  /** Human-readable meaning of `limit` for the task. */
  readonly limitUnit: string;
}

/** The paper's settings of each task. */
export const taskDefaults: Readonly<Record<TaskName, TaskDefaults>> = {
  dailydialog: { capacity: 512, sinks: 4, decay: 0.5, rule: 'greedy-then-likelihood', limitUnit: 'items' },
  grocery: { capacity: 1024, sinks: 4, decay: 1, rule: 'greedy-then-likelihood', limitUnit: 'episodes' },
  'rock-paper-scissors': {
    capacity: 1024,
    sinks: 4,
    decay: 0.7,
    rule: 'likelihood',
    limitUnit: 'rounds per player',
  },
};

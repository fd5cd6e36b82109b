import type { ChoiceRule } from '../scoring/choose-option.js';

/** The paper's three tasks. */
export type TaskName = 'dailydialog' | 'grocery' | 'rock-paper-scissors';

export const taskNames: readonly TaskName[] = ['dailydialog', 'grocery', 'rock-paper-scissors'];

/** What the paper's runs used per task (§3 of the notes): cache size, sinks, decay η, choice rule. */
export interface TaskDefaults {
  readonly capacity: number;
  readonly sinks: number;
  /** η of the SirLLM runs; the paper's Vicuna-7B value (the default prompt format is Vicuna's). */
  readonly decay: number;
  readonly rule: ChoiceRule;
  /** Human-readable meaning of `limit` for the task. */
  readonly limitUnit: string;
}

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

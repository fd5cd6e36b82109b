import type { EpisodeResult } from '../metrics/task-metrics.js';

/**
 * Where finished episodes go, one record per episode and policy run, so that an interrupted run can
 * resume. `@sirllm/eval/node` stores them in a results folder; {@link MemoryResultStore} keeps them in
 * memory.
 */
export interface ResultStore {
  /** The episodes already finished by a policy run (`unit`, e.g. `sirllm` or `random-seed-1`). */
  finished(unit: string): Promise<readonly EpisodeResult[]>;
  /** Records one finished episode; must be durable before it resolves. */
  save(unit: string, result: EpisodeResult): Promise<void>;
}

/** A {@link ResultStore} in memory. */
export class MemoryResultStore implements ResultStore {
  /** The saved episodes of each policy run, by its unit. */
  readonly units = new Map<string, EpisodeResult[]>();

  async finished(unit: string): Promise<readonly EpisodeResult[]> {
    return [...(this.units.get(unit) ?? [])];
  }

  async save(unit: string, result: EpisodeResult): Promise<void> {
    const list = this.units.get(unit) ?? [];
    list.push(result);
    this.units.set(unit, list);
  }
}

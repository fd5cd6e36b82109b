import { AbortedError, type KVBackend } from '@sirllm/core';
import type { EpisodeResult } from '../metrics/task-metrics.js';
import { taskDefaults } from '../tasks/task-name.js';
import type { TaskEpisode } from '../tasks/task-question.js';
import type { EvaluationConfig } from './evaluation-config.js';
import { createPolicy, type PolicyName } from './policy-name.js';
import type { ResultStore } from './result-store.js';
import { runEpisode } from './run-episode.js';

/** One policy run inside an evaluation: Random runs once per seed. */
export interface PolicyRun {
  /** Store key, e.g. `sirllm`, `streaming-llm`, `random-seed-2`. */
  readonly unit: string;
  /** The policy this run evaluates. */
  readonly policy: PolicyName;
  /** The Random policy's seed (the config's seed for the others). */
  readonly seed: number;
}

/** Progress after each question (and once at the start, counting what a resumed run already has). */
export interface EvaluationProgress {
  /** Questions answered so far, over every policy run. */
  readonly completed: number;
  /** Questions of the whole evaluation. */
  readonly total: number;
  /** The policy run of the latest question (empty in the first report). */
  readonly unit: string;
  /** The episode of the latest question (empty in the first report). */
  readonly episode: string;
}

/** Options of {@link runEvaluation}. */
export interface RunEvaluationOptions {
  /** What to run. */
  readonly config: EvaluationConfig;
  /** The loaded model. */
  readonly backend: KVBackend;
  /** The task's episodes, in order. */
  readonly episodes: readonly TaskEpisode[];
  /** Where finished episodes are saved and found again on resume. */
  readonly store: ResultStore;
  /** Called with the progress after each question. */
  readonly onProgress?: (progress: EvaluationProgress) => void;
  /**
   * Stops the run at the current question: the unfinished episode is dropped, finished ones stay in the
   * store, and the result has `complete: false`.
   */
  readonly signal?: AbortSignal;
}

/** The finished episodes of every policy run. */
export interface EvaluationResults {
  /** The evaluation's config. */
  readonly config: EvaluationConfig;
  /** The model's name, as its backend gives it. */
  readonly model: string;
  /** Every policy run with its finished episodes. */
  readonly runs: readonly {
    /** The policy run. */
    readonly run: PolicyRun;
    /** Its finished episodes, in task order. */
    readonly episodes: readonly EpisodeResult[];
  }[];
  /** Total episodes per run (all of them are in `runs` when the evaluation is complete). */
  readonly episodesPerRun: number;
  /** False when the signal stopped the run: what finished is in `runs` (and in the store). */
  readonly complete: boolean;
}

/** The policy runs of a config, in table order. */
export function policyRunsOf(config: EvaluationConfig): PolicyRun[] {
  return config.policies.flatMap((policy): PolicyRun[] =>
    policy === 'random'
      ? Array.from({ length: config.randomSeeds }, (_, index) => ({
          unit: `random-seed-${config.seed + index}`,
          policy,
          seed: config.seed + index,
        }))
      : [{ unit: policy, policy, seed: config.seed }],
  );
}

/**
 * Runs every policy over every episode not yet in the store, saving each finished episode, and returns
 * all results. Episodes run in order; a Random run's policy is re-seeded per episode (from the run's
 * seed and the episode index) so a resumed run gives the same numbers as an uninterrupted one.
 */
export async function runEvaluation(options: RunEvaluationOptions): Promise<EvaluationResults> {
  const { config, backend, episodes, store, signal } = options;
  const runs = policyRunsOf(config);
  const finished = new Map<string, Map<string, EpisodeResult>>();
  for (const run of runs) {
    finished.set(
      run.unit,
      new Map((await store.finished(run.unit)).map((result) => [result.episode, result])),
    );
  }
  const questionsOf = (episode: TaskEpisode) => episode.questions.length;
  const total = runs.length * episodes.reduce((sum, episode) => sum + questionsOf(episode), 0);
  let completed = 0;
  for (const run of runs) {
    for (const episode of episodes)
      if (finished.get(run.unit)?.has(episode.id)) completed += questionsOf(episode);
  }
  options.onProgress?.({ completed, total, unit: '', episode: '' });
  const rule = taskDefaults[config.task].rule;
  let complete = true;
  try {
    await runAll();
  } catch (error) {
    if (
      !signal?.aborted ||
      !(AbortedError.isInstance(error) || (error instanceof Error && error.name === 'AbortError'))
    ) {
      throw error;
    }
    complete = false;
  }
  async function runAll(): Promise<void> {
    for (const run of runs) {
      const done = finished.get(run.unit) as Map<string, EpisodeResult>;
      for (const [index, episode] of episodes.entries()) {
        if (done.has(episode.id)) continue;
        if (signal?.aborted) throw new AbortedError({ operation: 'evaluation', cause: signal.reason });
        const policy = createPolicy(run.policy, {
          sinks: config.sinks,
          decay: config.decay,
          seed: (run.seed * 1_000_003 + index) >>> 0,
        });
        let answered = 0;
        const result = await runEpisode(episode, {
          backend,
          policy,
          capacity: config.capacity,
          format: config.promptFormat,
          scoring: config.scoring,
          rule,
          ...(signal ? { signal } : {}),
          onQuestion: () => {
            answered++;
            options.onProgress?.({
              completed: completed + answered,
              total,
              unit: run.unit,
              episode: episode.id,
            });
          },
        });
        completed += questionsOf(episode);
        if (result.skipped) options.onProgress?.({ completed, total, unit: run.unit, episode: episode.id });
        await store.save(run.unit, result);
        done.set(episode.id, result);
      }
    }
  }
  return {
    complete,
    config,
    model: backend.info.name,
    episodesPerRun: episodes.length,
    runs: runs.map((run) => ({
      run,
      episodes: episodes.flatMap((episode) => {
        const result = finished.get(run.unit)?.get(episode.id);
        return result ? [result] : [];
      }),
    })),
  };
}

import { computeMetrics, type Rate, type TaskMetrics } from '../metrics/task-metrics.js';
import type { EvaluationConfig } from '../run/evaluation-config.js';
import { type PolicyName, policyTitle } from '../run/policy-name.js';
import type { EvaluationResults } from '../run/run-evaluation.js';

/** One table column: a policy's metrics (Random: the mean over its seeds). */
export interface PolicySummary {
  /** The policy. */
  readonly policy: PolicyName;
  /** The policy's column title. */
  readonly title: string;
  /** The metrics of each run (one per seed for Random). */
  readonly runs: readonly {
    /** The run's unit (`PolicyRun.unit`). */
    readonly unit: string;
    /** The run's seed. */
    readonly seed: number;
    /** The run's metrics. */
    readonly metrics: TaskMetrics;
  }[];
  /** Mean over `runs` of every rate; counts are summed. */
  readonly metrics: TaskMetrics;
  /** Scored episodes per run (the rounded mean over its runs). */
  readonly episodesFinished: number;
  /** Episodes skipped per run because they did not fit (the rounded mean over its runs). */
  readonly episodesSkipped: number;
}

/** Everything the reports show. */
export interface EvaluationSummary {
  /** The evaluation's config. */
  readonly config: EvaluationConfig;
  /** The model's name, as its backend gives it. */
  readonly model: string;
  /** False when the run was stopped before every episode was finished. */
  readonly complete: boolean;
  /** Total episodes per policy run. */
  readonly episodesPerRun: number;
  /** One summary per policy, in the config's order. */
  readonly policies: readonly PolicySummary[];
}

/** Metrics per policy, Random averaged over its seeds. */
export function summarizeResults(results: EvaluationResults): EvaluationSummary {
  const policies: PolicySummary[] = [];
  for (const policy of results.config.policies) {
    const runs = results.runs.filter((entry) => entry.run.policy === policy);
    const perRun = runs.map((entry) => ({
      unit: entry.run.unit,
      seed: entry.run.seed,
      metrics: computeMetrics(entry.episodes.filter((episode) => !episode.skipped)),
    }));
    const episodes = runs.flatMap((entry) => entry.episodes);
    policies.push({
      policy,
      title: policyTitle(policy),
      runs: perRun,
      metrics: meanMetrics(perRun.map((entry) => entry.metrics)),
      episodesFinished: Math.round(
        episodes.filter((episode) => !episode.skipped).length / Math.max(1, runs.length),
      ),
      episodesSkipped: Math.round(
        episodes.filter((episode) => episode.skipped).length / Math.max(1, runs.length),
      ),
    });
  }
  return {
    config: results.config,
    model: results.model,
    complete: results.complete,
    episodesPerRun: results.episodesPerRun,
    policies,
  };
}

/** The mean of several runs' metrics: rates averaged, counts summed. */
export function meanMetrics(list: readonly TaskMetrics[]): TaskMetrics {
  if (list.length === 1) return list[0] as TaskMetrics;
  const meanRate = (rates: (Rate | undefined)[]): Rate | undefined => {
    const present = rates.filter((rate): rate is Rate => rate !== undefined && rate.count > 0);
    if (present.length === 0) return undefined;
    return {
      hits: present.reduce((sum, rate) => sum + rate.hits, 0),
      count: present.reduce((sum, rate) => sum + rate.count, 0),
      rate: present.reduce((sum, rate) => sum + rate.rate, 0) / present.length,
    };
  };
  const accuracy = meanRate(list.map((metrics) => metrics.accuracy));
  const commonsense = meanRate(list.map((metrics) => metrics.commonsense));
  const recall = meanRate(list.map((metrics) => metrics.recall));
  const playerNames = [
    ...new Set(list.flatMap((metrics) => (metrics.players ?? []).map((player) => player.player))),
  ];
  const players = playerNames.map((player) => {
    const entries = list.map((metrics) => metrics.players?.find((entry) => entry.player === player));
    return {
      player,
      win: meanRate(entries.map((entry) => entry?.win)) as Rate,
      tie: meanRate(entries.map((entry) => entry?.tie)) as Rate,
      lose: meanRate(entries.map((entry) => entry?.lose)) as Rate,
    };
  });
  const winRates = list
    .map((metrics) => metrics.averageWinRate)
    .filter((rate): rate is number => rate !== undefined);
  return {
    questions: list.reduce((sum, metrics) => sum + metrics.questions, 0),
    likelihoodTies: list.reduce((sum, metrics) => sum + metrics.likelihoodTies, 0),
    ...(accuracy ? { accuracy } : {}),
    ...(commonsense ? { commonsense } : {}),
    ...(recall ? { recall } : {}),
    ...(players.length > 0 ? { players } : {}),
    ...(winRates.length > 0 ? { averageWinRate: winRates.reduce((a, b) => a + b, 0) / winRates.length } : {}),
  };
}

import type { QuestionOutcome } from '../scoring/ask-question.js';

/** One finished episode of one policy run. */
export interface EpisodeResult {
  /** The episode's id (`TaskEpisode.id`). */
  readonly episode: string;
  /** What happened on each question, in order (empty when skipped). */
  readonly outcomes: readonly QuestionOutcome[];
  /** Why the episode was not scored (e.g. `full` and the episode does not fit); absent when scored. */
  readonly skipped?: string;
}

/** A count and the number of hits among it; `rate` is hits / count (NaN when count is 0). */
export interface Rate {
  /** How many of `count` were hits. */
  readonly hits: number;
  /** How many were counted. */
  readonly count: number;
  /** `hits / count`, NaN when `count` is 0. */
  readonly rate: number;
}

/** Win / tie / lose rates of one Rock-Paper-Scissors player. */
export interface PlayerResult {
  /** The player's name (the episode id without `player-`). */
  readonly player: string;
  /** Rounds the model won. */
  readonly win: Rate;
  /** Rounds the model tied (it chose the user's move). */
  readonly tie: Rate;
  /** Rounds the model lost. */
  readonly lose: Rate;
}

/**
 * The paper's metrics, from whatever episodes are finished:
 * - `accuracy`: DailyDialog (chosen = gold over the dialogue questions);
 * - `commonsense` (ACC_c) and `recall` (ACC_g): Grocery Shopping;
 * - `players` and `averageWinRate` (mean win rate over players): Rock-Paper-Scissors.
 */
export interface TaskMetrics {
  /** Questions asked in the finished episodes. */
  readonly questions: number;
  /** DailyDialog: the chosen response was the gold one. */
  readonly accuracy?: Rate;
  /** Grocery Shopping: the CommonsenseQA distractions answered right (ACC_c). */
  readonly commonsense?: Rate;
  /** Grocery Shopping: the grocery recalled at the end (ACC_g). */
  readonly recall?: Rate;
  /** Rock-Paper-Scissors: each player's win, tie and lose rates. */
  readonly players?: readonly PlayerResult[];
  /** Rock-Paper-Scissors: the mean win rate over the players. */
  readonly averageWinRate?: number;
  /**
   * Questions decided by a tie: several options equally likely and no greedy match, so the first one
   * was taken. Many ties mean the scores carry no signal (e.g. letter scoring where every option's
   * first token is the same space token: use cloze scoring or a tokenizer that merges " A").
   */
  readonly likelihoodTies: number;
}

const rateOf = (hits: number, count: number): Rate => ({
  hits,
  count,
  rate: count === 0 ? Number.NaN : hits / count,
});

/** Computes the metrics of a run from its finished episodes. */
export function computeMetrics(episodes: readonly EpisodeResult[]): TaskMetrics {
  const tally = { dialogue: [0, 0], commonsense: [0, 0], recall: [0, 0] } as Record<string, [number, number]>;
  const players: PlayerResult[] = [];
  let questions = 0;
  let likelihoodTies = 0;
  for (const episode of episodes) {
    let win = 0;
    let tie = 0;
    let rounds = 0;
    for (const outcome of episode.outcomes) {
      questions++;
      if (outcome.decidedBy === 'tie') likelihoodTies++;
      const correct = outcome.chosen === outcome.gold ? 1 : 0;
      const bucket =
        outcome.kind === 'dialogue'
          ? tally.dialogue
          : outcome.kind === 'commonsense'
            ? tally.commonsense
            : outcome.kind === 'grocery-recall'
              ? tally.recall
              : undefined;
      if (bucket) {
        bucket[0] += correct;
        bucket[1] += 1;
      }
      if (outcome.kind === 'round') {
        rounds++;
        win += correct;
        if (outcome.chosen === outcome.userMove) tie++;
      }
    }
    if (rounds > 0) {
      players.push({
        player: episode.episode.replace(/^player-/u, ''),
        win: rateOf(win, rounds),
        tie: rateOf(tie, rounds),
        lose: rateOf(rounds - win - tie, rounds),
      });
    }
  }
  const pick = (name: string) => {
    const [hits, count] = tally[name] as [number, number];
    return count > 0 ? rateOf(hits, count) : undefined;
  };
  const accuracy = pick('dialogue');
  const commonsense = pick('commonsense');
  const recall = pick('recall');
  return {
    questions,
    likelihoodTies,
    ...(accuracy ? { accuracy } : {}),
    ...(commonsense ? { commonsense } : {}),
    ...(recall ? { recall } : {}),
    ...(players.length > 0
      ? {
          players,
          averageWinRate: players.reduce((sum, player) => sum + player.win.rate, 0) / players.length,
        }
      : {}),
  };
}

/** What a question is for, which decides the metric it counts toward. */
export type QuestionKind =
  /** DailyDialog: pick the response to the previous utterance. */
  | 'dialogue'
  /** Grocery Shopping turn 1: "I want you to buy the GROCERY: [item]." with the single choice "OK". */
  | 'grocery-key'
  /** Grocery Shopping turns 2–21: CommonsenseQA distraction (counts toward ACC_c). */
  | 'commonsense'
  /** Grocery Shopping turn 22: which grocery was it (counts toward ACC_g). */
  | 'grocery-recall'
  /** Rock-Paper-Scissors: one round; the user's move is revealed in the next round's prompt. */
  | 'round';

/** One multiple-choice question of an episode, in the form the reference code builds it. */
export interface TaskQuestion {
  /** The data's id (e.g. `12_5`, `key_3`, or the round number). */
  readonly id: string;
  /** What the question is for, which decides the metric it counts toward. */
  readonly kind: QuestionKind;
  /** The question text before the prompt format wraps it. */
  readonly text: string;
  /** Option labels (`A`, `B`, …) in order. */
  readonly labels: readonly string[];
  /** Option texts in order. */
  readonly optionTexts: readonly string[];
  /** Continuations scored in `letter` mode (the labels; `OK` for the grocery key turn). */
  readonly letterContinuations: readonly string[];
  /** Index of the gold option. */
  readonly gold: number;
  /** Rock-Paper-Scissors: index of the user's move this round (a tie when chosen). */
  readonly userMove?: number;
}

/** A run of questions over one memory: the cache and the scores start empty at each episode. */
export interface TaskEpisode {
  /** Stable id, used to resume runs (e.g. `dialogue-12`, `episode-3`, `player-rock`). */
  readonly id: string;
  /** The episode's questions, asked in order over one memory. */
  readonly questions: readonly TaskQuestion[];
}

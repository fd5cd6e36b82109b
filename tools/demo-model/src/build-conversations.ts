import type { RandomSource } from '@sirllm/core';
import { rockPaperScissorsRoundText } from '@sirllm/eval';
import type { CommonsenseQuestion } from './grocery-source.js';
import {
  groceryKeyTurn,
  harnessTurn,
  multipleChoiceText,
  optionLabel,
  recallStem,
  type TurnText,
} from './turn-text.js';

/** A training conversation: turns the tokenizer turns into one sequence starting at position 0. */
export interface Conversation {
  readonly kind: 'grocery' | 'rock-paper-scissors' | 'dialogue';
  readonly turns: readonly TurnText[];
}

/** The data mix of a Grocery conversation. */
export interface GroceryMix {
  /** Loss weight of the recall answer. */
  readonly recallWeight: number;
  /** Share of recall questions asked without choices (answered with the item). */
  readonly openRecallShare: number;
  /** Share of multiple-choice answers given as the letter instead of the option text. */
  readonly letterAnswerShare: number;
  /** How many distractor turns a conversation has (default {@link drawDistractorCount}). */
  readonly drawDistractors?: (random: RandomSource) => number;
}

export const defaultGroceryMix: GroceryMix = {
  recallWeight: 8,
  openRecallShare: 0.3,
  letterAnswerShare: 0.2,
};

/**
 * Distractor turns between the request and the recall question: 40 % from 0–3, 30 % from 0–10,
 * 30 % from 0–20 (evaluation episodes have 20), so the model learns to recall over every distance.
 */
export function drawDistractorCount(random: RandomSource): number {
  const draw = random.next();
  if (draw < 0.4) return random.nextInteger(4);
  if (draw < 0.7) return random.nextInteger(11);
  return random.nextInteger(21);
}

/**
 * A Grocery episode: the request (the item drawn uniformly from `items`), CommonsenseQA distractions,
 * and the recall question (the item and three other items as options, or no options).
 */
export function groceryConversation(
  random: RandomSource,
  items: readonly string[],
  questions: readonly CommonsenseQuestion[],
  mix: GroceryMix = defaultGroceryMix,
): Conversation {
  const [item, ...others] = drawDistinct(random, items, 4);
  const turns: TurnText[] = [groceryKeyTurn(item as string)];
  const distractors = (mix.drawDistractors ?? drawDistractorCount)(random);
  for (let turn = 0; turn < distractors; turn++) {
    const question = questions[random.nextInteger(questions.length)] as CommonsenseQuestion;
    // Options are shuffled on every use, so the model cannot memorise answers by position.
    const order = shuffled(random, question.choices.length);
    const choices = order.map((index) => question.choices[index] as string);
    const gold = order.indexOf(question.gold);
    turns.push(multipleChoiceTurn(random, question.stem, choices, gold, 1, mix));
  }
  if (random.next() < mix.openRecallShare) {
    turns.push(harnessTurn(recallStem, item as string, mix.recallWeight));
  } else {
    const choices = shuffledValues(random, [item as string, ...others]);
    const gold = choices.indexOf(item as string);
    turns.push(multipleChoiceTurn(random, recallStem, choices, gold, mix.recallWeight, mix));
  }
  return { kind: 'grocery', turns };
}

function multipleChoiceTurn(
  random: RandomSource,
  stem: string,
  choices: readonly string[],
  gold: number,
  answerWeight: number,
  mix: GroceryMix,
): TurnText {
  const assistant = random.next() < mix.letterAnswerShare ? optionLabel(gold) : (choices[gold] as string);
  return harnessTurn(multipleChoiceText(stem, choices), assistant, answerWeight);
}

const moves = ['rock', 'paper', 'scissors'] as const;

/**
 * A synthetic Rock-Paper-Scissors game against a player who favours one move (0.5 / 0.3 / 0.2, as in
 * the paper's players); the assistant answers the move that beats the player's most frequent move so far.
 */
export function rockPaperScissorsConversation(random: RandomSource, rounds: number): Conversation {
  const preference = shuffled(random, 3);
  const weights = [0.5, 0.3, 0.2];
  const counts = [0, 0, 0];
  const turns: TurnText[] = [];
  let previous: number | undefined;
  for (let round = 0; round < rounds; round++) {
    const favourite = counts.indexOf(Math.max(...counts));
    const answer = (favourite + 1) % 3;
    const question = rockPaperScissorsRoundText(previous === undefined ? undefined : moves[previous]);
    const assistant = random.next() < 0.5 ? optionLabel(answer) : (moves[answer] as string);
    turns.push(harnessTurn(question, assistant, 1));
    const draw = random.next();
    const move = draw < (weights[0] as number) ? 0 : draw < 0.8 ? 1 : 2;
    previous = preference[move] as number;
    counts[previous] = (counts[previous] as number) + 1;
  }
  return { kind: 'rock-paper-scissors', turns };
}

/** A DailyDialog validation dialogue as alternating user and assistant turns. */
export function dialogueConversation(utterances: readonly string[]): Conversation {
  const turns: TurnText[] = [];
  for (let index = 0; index + 1 < utterances.length; index += 2) {
    turns.push({
      user: utterances[index] as string,
      assistant: utterances[index + 1] as string,
      answerWeight: 1,
    });
  }
  return { kind: 'dialogue', turns };
}

/** Utterances of `dialogues_validation.txt` (one dialogue per line, `__eou__` after each utterance). */
export function parseDialogues(text: string): string[][] {
  return text
    .split('\n')
    .map((line) =>
      line
        .split('__eou__')
        .map((utterance) =>
          utterance
            .trim()
            .replace(/\s+'\s+/gu, "'")
            .replace(/\s+([?.!,])/gu, '$1'),
        )
        .filter((utterance) => utterance !== ''),
    )
    .filter((utterances) => utterances.length >= 2);
}

function shuffled(random: RandomSource, length: number): number[] {
  const order = Array.from({ length }, (_, index) => index);
  for (let index = length - 1; index > 0; index--) {
    const other = random.nextInteger(index + 1);
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  return order;
}

function shuffledValues<T>(random: RandomSource, values: readonly T[]): T[] {
  return shuffled(random, values.length).map((index) => values[index] as T);
}

function drawDistinct(random: RandomSource, pool: readonly string[], count: number): string[] {
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(pool[random.nextInteger(pool.length)] as string);
  return [...chosen];
}

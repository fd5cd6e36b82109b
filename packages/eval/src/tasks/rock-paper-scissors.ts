import { InvalidOptionError } from '@sirllm/core';
import { parseJsonLines, readChoiceRecord } from './json-lines.js';
import type { TaskEpisode, TaskQuestion } from './task-question.js';

/** The paper plays the first 2000 rounds per player. */
export const rockPaperScissorsDefaultLimit = 2000;

const firstRound =
  "Let's play a game of Rock-Paper-Scissors. Choose one option from: (A) rock (B) paper (C) scissors. ";

const laterRound = (previousMove: string) =>
  `I chose [${previousMove}]. Analyze my preferences to maximize your winning rate and proceed to the next round. Choices: (A) rock (B) paper (C) scissors. You choose:`;

/**
 * The reference's text of one round: the opening round when `previousMove` is undefined, else a round
 * that reveals the user's previous move (`rock`, `paper` or `scissors`).
 */
export function rockPaperScissorsRoundText(previousMove: string | undefined): string {
  return previousMove === undefined ? firstRound : laterRound(previousMove);
}

/**
 * One Rock-Paper-Scissors episode for one player (`rock_paper_scissors_dominant_{player}.jsonl` text):
 * one continuous stream of rounds with no reset. Round 1 opens the game; every later round reveals the
 * user's previous move. `limit` counts rounds (default 2000, as in the paper).
 */
export function rockPaperScissorsEpisode(
  player: string,
  text: string,
  limit = rockPaperScissorsDefaultLimit,
): TaskEpisode {
  const source = `rock_paper_scissors_dominant_${player}.jsonl`;
  const records = parseJsonLines(text, source).slice(0, limit);
  const questions: TaskQuestion[] = [];
  let previousMove: string | undefined;
  records.forEach((raw, index) => {
    const record = readChoiceRecord(raw, source, index);
    if (record.userChoice === undefined) {
      throw new InvalidOptionError({
        option: `${source} record ${index + 1}`,
        value: raw,
        expected: 'a "user_choice" label (the user\'s move this round)',
      });
    }
    const userMove = record.labels.indexOf(record.userChoice);
    questions.push({
      id: record.id,
      kind: 'round',
      text: rockPaperScissorsRoundText(previousMove),
      labels: record.labels,
      optionTexts: record.texts,
      letterContinuations: record.labels,
      gold: record.labels.indexOf(record.answerKey),
      userMove,
    });
    previousMove = record.texts[userMove];
  });
  return { id: `player-${player}`, questions };
}

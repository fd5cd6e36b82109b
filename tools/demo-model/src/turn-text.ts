import { questionWithChoices, splitTrailingWhitespace } from '@sirllm/eval';

/**
 * The texts of the turns the demo model is trained on, written exactly as the evaluation harness
 * (`@sirllm/eval`, `chat-template` format) feeds them, so that training and evaluation agree token
 * for token: the user text, then the assistant's answer.
 */
export interface TurnText {
  readonly user: string;
  readonly assistant: string;
  /** Loss weight of the assistant's answer (the user text and the rest weigh 1). */
  readonly answerWeight: number;
}

/**
 * A turn for the harness's question text and an answer. Like the harness's chat-template format, it
 * moves the question's trailing whitespace to the start of the answer.
 */
export function harnessTurn(question: string, answer: string, answerWeight: number): TurnText {
  const { stripped, moved } = splitTrailingWhitespace(question);
  return { user: stripped, assistant: moved + answer, answerWeight };
}

const optionLabels = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

/** The Grocery key turn: `keys.jsonl`'s stem, trimmed as the harness trims it, answered "OK". */
export function groceryKeyTurn(item: string): TurnText {
  return harnessTurn(`I want you to buy the GROCERY: [${item}].`, 'OK', 1);
}

/** The harness's multiple-choice text, `{stem} Choices:  (A) x (B) y …`, with options labelled from A. */
export function multipleChoiceText(stem: string, choices: readonly string[]): string {
  return questionWithChoices('', {
    stem,
    labels: choices.map((_, index) => optionLabel(index)),
    texts: choices,
  });
}

/** The label of option `index` ("A" for 0). */
export function optionLabel(index: number): string {
  const label = optionLabels[index];
  if (label === undefined) throw new RangeError(`option ${index} has no label`);
  return label;
}

/** The recall question of a Grocery episode, as in `keys.jsonl`. */
export const recallStem = 'Which one is the GROCERY that I want you to buy earlier?';

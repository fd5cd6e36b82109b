/**
 * The texts of the turns the demo model is trained on, written exactly as the evaluation harness
 * (`@sirllm/eval`, `chat-template` format) renders them, so that training and evaluation agree token
 * for token: the user text, then the assistant's answer.
 */
export interface TurnText {
  readonly user: string;
  readonly assistant: string;
  /** Loss weight of the assistant's answer (the user text and the rest weigh 1). */
  readonly answerWeight: number;
}

const optionLabels = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

/** The Grocery key turn: `keys.jsonl`'s stem, trimmed as the harness trims it, answered "OK". */
export function groceryKeyTurn(item: string): TurnText {
  return { user: `I want you to buy the GROCERY: [${item}].`, assistant: 'OK', answerWeight: 1 };
}

/** `{stem} Choices:  (A) x (B) y …`, the harness's multiple-choice text (`questionWithChoices`). */
export function questionWithChoices(stem: string, choices: readonly string[]): string {
  let text = `${stem.trim()} Choices: `;
  choices.forEach((choice, index) => {
    text += ` (${optionLabels[index]}) ${choice}`;
  });
  return text;
}

/** The label of option `index` ("A" for 0). */
export function optionLabel(index: number): string {
  const label = optionLabels[index];
  if (label === undefined) throw new RangeError(`option ${index} has no label`);
  return label;
}

/** The recall question of a Grocery episode, as in `keys.jsonl`. */
export const recallStem = 'Which one is the GROCERY that I want you to buy earlier?';

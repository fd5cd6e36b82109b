import { InvalidOptionError } from '@sirllm/core';

/** Parses JSON Lines text (blank lines skipped); a bad line throws `InvalidOptionError` naming file and line. */
export function parseJsonLines(text: string, source: string): unknown[] {
  const records: unknown[] = [];
  const lines = text.split(/\r?\n/u);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line));
    } catch {
      throw new InvalidOptionError({
        option: `${source}:${index + 1}`,
        value: line,
        expected: 'one JSON object per line',
      });
    }
  });
  return records;
}

/** A multiple-choice record in the datasets' shared shape (`question.stem`, `question.choices`, `answerKey`). */
export interface ChoiceRecord {
  /** The record's id. */
  readonly id: string;
  /** The question text (`question.stem`). */
  readonly stem: string;
  /** The option labels (`A`, `B`, …), in order. */
  readonly labels: readonly string[];
  /** The option texts, in order. */
  readonly texts: readonly string[];
  /** The gold option's label. */
  readonly answerKey: string;
  /** Rock-Paper-Scissors: the label of the user's move (`user_choice`). */
  readonly userChoice?: string;
}

/** Checks one record's shape; throws `InvalidOptionError` naming the record and the missing field. */
export function readChoiceRecord(record: unknown, source: string, index: number): ChoiceRecord {
  const fail = (field: string): never => {
    throw new InvalidOptionError({
      option: `${source} record ${index + 1}`,
      value: record,
      expected: `a record with ${field} (the SirLLM data format; see docs/guides/evaluation.md)`,
    });
  };
  if (typeof record !== 'object' || record === null) return fail('an object');
  const { id, question, answerKey, user_choice: userChoice } = record as Record<string, unknown>;
  if (typeof id !== 'string' && typeof id !== 'number') return fail('an "id"');
  if (typeof answerKey !== 'string') return fail('an "answerKey" string');
  if (typeof question !== 'object' || question === null) return fail('a "question" object');
  const { stem, choices } = question as Record<string, unknown>;
  if (typeof stem !== 'string') return fail('a "question.stem" string');
  if (!Array.isArray(choices) || choices.length === 0) return fail('a non-empty "question.choices" array');
  const labels: string[] = [];
  const texts: string[] = [];
  for (const choice of choices) {
    const { label, text } = (choice ?? {}) as Record<string, unknown>;
    if (typeof label !== 'string' || typeof text !== 'string')
      return fail('choices with "label" and "text" strings');
    labels.push(label);
    texts.push(text);
  }
  if (!labels.includes(answerKey)) return fail(`an "answerKey" among the labels ${labels.join(', ')}`);
  if (userChoice !== undefined && (typeof userChoice !== 'string' || !labels.includes(userChoice))) {
    return fail('a "user_choice" among the labels');
  }
  return {
    id: String(id),
    stem,
    labels,
    texts,
    answerKey,
    ...(typeof userChoice === 'string' ? { userChoice } : {}),
  };
}

/** The reference's question text: `{prefix}{stem.strip()} Choices: ` followed by ` ({label}) {text}` per option. */
export function questionWithChoices(
  prefix: string,
  record: Pick<ChoiceRecord, 'stem' | 'labels' | 'texts'>,
): string {
  let question = `${prefix}${record.stem.trim()} Choices: `;
  record.labels.forEach((label, index) => {
    question += ` (${label}) ${record.texts[index]}`;
  });
  return question;
}

import { isTrainingEpisode } from './training-split.js';

/** A CommonsenseQA question of a training episode, as the data gives it. */
export interface CommonsenseQuestion {
  readonly stem: string;
  readonly choices: readonly string[];
  readonly gold: number;
}

/** What the training data is built from: the groceries and the distractor questions of episodes 0–349. */
export interface GrocerySource {
  /** Every grocery named in a training episode (keys and recall options), sorted. */
  readonly groceries: readonly string[];
  readonly questions: readonly CommonsenseQuestion[];
  /** How many episodes were read (all below the held-out split). */
  readonly episodes: number;
}

interface RawRecord {
  readonly id: string;
  readonly answerKey: string;
  readonly question: {
    readonly stem: string;
    readonly choices: readonly { readonly label: string; readonly text: string }[];
  };
}

/**
 * Reads `keys.jsonl` text and keeps only training episodes (see `isTrainingEpisode`); records of
 * held-out episodes are skipped without being parsed further.
 */
export function readGrocerySource(text: string): GrocerySource {
  const groceries = new Set<string>();
  const questions: CommonsenseQuestion[] = [];
  const episodes = new Set<number>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const record = JSON.parse(line) as RawRecord;
    const episodeNumber = Number(record.id.split('_').pop());
    if (!isTrainingEpisode(episodeNumber)) continue;
    episodes.add(episodeNumber);
    const { stem, choices } = record.question;
    if (record.id.startsWith('key_')) {
      const match = /\[([^\]]+)\]/u.exec(stem);
      if (!match?.[1]) throw new Error(`keys.jsonl: no [item] in ${record.id}: ${stem}`);
      groceries.add(match[1]);
    } else if (record.id.startsWith('answer_')) {
      for (const choice of choices) groceries.add(choice.text);
    } else {
      questions.push({
        stem: stem.trim(),
        choices: choices.map((choice) => choice.text),
        gold: choices.findIndex((choice) => choice.label === record.answerKey),
      });
    }
  }
  return { groceries: [...groceries].sort(), questions, episodes: episodes.size };
}

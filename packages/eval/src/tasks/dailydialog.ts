import { InvalidOptionError } from '@sirllm/core';
import { parseJsonLines, questionWithChoices, readChoiceRecord } from './json-lines.js';
import type { TaskEpisode, TaskQuestion } from './task-question.js';

/** The paper evaluates the first 2000 items (dialogues 0–518). */
export const dailyDialogDefaultLimit = 2000;

/**
 * DailyDialog episodes from `dailydialog.jsonl` text: item `d_t` asks for utterance t of dialogue d
 * given utterance t−1; the cache resets at each new dialogue. `limit` counts items (default 2000, as in
 * the paper); a dialogue cut by the limit keeps its first items.
 */
export function dailyDialogEpisodes(text: string, limit = dailyDialogDefaultLimit): TaskEpisode[] {
  const source = 'dailydialog.jsonl';
  const records = parseJsonLines(text, source).slice(0, limit);
  const episodes: { id: string; questions: TaskQuestion[] }[] = [];
  records.forEach((raw, index) => {
    const record = readChoiceRecord(raw, source, index);
    const dialogue = record.id.split('_')[0];
    if (dialogue === undefined || !/^\d+$/u.test(dialogue)) {
      throw new InvalidOptionError({
        option: `${source} record ${index + 1}`,
        value: record.id,
        expected: 'an id "dialogue_turn" such as "12_5"',
      });
    }
    const episodeId = `dialogue-${dialogue}`;
    let episode = episodes[episodes.length - 1];
    if (episode?.id !== episodeId) {
      episode = { id: episodeId, questions: [] };
      episodes.push(episode);
    }
    episode.questions.push({
      id: record.id,
      kind: 'dialogue',
      text: questionWithChoices('Choose the best response for the input: ', record),
      labels: record.labels,
      optionTexts: record.texts,
      letterContinuations: record.labels,
      gold: record.labels.indexOf(record.answerKey),
    });
  });
  return episodes;
}

import { InvalidOptionError } from '@sirllm/core';
import { parseJsonLines, questionWithChoices, readChoiceRecord } from './json-lines.js';
import type { TaskEpisode, TaskQuestion } from './task-question.js';

/**
 * Grocery Shopping episodes from `keys.jsonl` text: `key_e` (state the grocery; one choice, "OK"),
 * then CommonsenseQA questions with id `e`, then `answer_e` (recall). The cache resets per episode
 * (the id's last `_` part changes). `limit` counts episodes (default: all).
 */
export function groceryEpisodes(text: string, limit = Number.POSITIVE_INFINITY): TaskEpisode[] {
  const source = 'keys.jsonl';
  const episodes: { id: string; questions: TaskQuestion[] }[] = [];
  const records = parseJsonLines(text, source);
  for (let index = 0; index < records.length; index++) {
    const record = readChoiceRecord(records[index], source, index);
    const episodeNumber = record.id.split('_').pop() ?? '';
    if (!/^\d+$/u.test(episodeNumber)) {
      throw new InvalidOptionError({
        option: `${source} record ${index + 1}`,
        value: record.id,
        expected: 'an id "key_e", "e" or "answer_e"',
      });
    }
    const episodeId = `episode-${episodeNumber}`;
    let episode = episodes[episodes.length - 1];
    if (episode?.id !== episodeId) {
      if (episodes.length >= limit) break;
      episode = { id: episodeId, questions: [] };
      episodes.push(episode);
    }
    const gold = record.labels.indexOf(record.answerKey);
    if (record.id.startsWith('key')) {
      // The reference asks the stem alone and scores the continuation "OK".
      episode.questions.push({
        id: record.id,
        kind: 'grocery-key',
        text: record.stem.trim(),
        labels: record.labels,
        optionTexts: record.texts,
        letterContinuations: ['OK'],
        gold: 0,
      });
      continue;
    }
    episode.questions.push({
      id: record.id,
      kind: record.id.startsWith('answer') ? 'grocery-recall' : 'commonsense',
      text: questionWithChoices('', record),
      labels: record.labels,
      optionTexts: record.texts,
      letterContinuations: record.labels,
      gold,
    });
  }
  return episodes;
}

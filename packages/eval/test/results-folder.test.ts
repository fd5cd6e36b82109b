import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openResultsFolder, readTaskEpisodes } from '../src/node/index.js';
import { resolveEvaluationConfig } from '../src/run/evaluation-config.js';
import { syntheticGrocery, syntheticRockPaperScissors } from './synthetic-data.js';

describe('results folders', () => {
  const config = resolveEvaluationConfig({
    task: 'dailydialog',
    backend: 'reference',
    model: 'tiny',
    limit: 4,
  });

  it('stores the config, resumes the same config, and never reuses a folder for another one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sirllm-eval-'));
    const first = openResultsFolder(root, config);
    expect(first.resumed).toBe(false);
    expect(JSON.parse(readFileSync(join(first.path, 'config.json'), 'utf8'))).toEqual(config);
    await first.store.save('sirllm', { episode: 'dialogue-0', outcomes: [] });
    const again = openResultsFolder(root, config);
    expect(again).toMatchObject({ path: first.path, resumed: true });
    expect(await again.store.finished('sirllm')).toEqual([{ episode: 'dialogue-0', outcomes: [] }]);
    // Same name, different config (edited by hand): a new folder with a suffix.
    writeFileSync(join(first.path, 'config.json'), '{"edited": true}\n');
    const other = openResultsFolder(root, config);
    expect(other.path).toBe(`${first.path}-2`);
    expect(readFileSync(join(first.path, 'config.json'), 'utf8')).toBe('{"edited": true}\n');
  });

  it('skips a record cut short by an interrupted write and appends after it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sirllm-eval-'));
    const folder = openResultsFolder(root, config);
    writeFileSync(
      join(folder.path, 'runs', 'sirllm.jsonl'),
      '{"episode":"dialogue-0","outcomes":[]}\n{"episode":"dia',
    );
    await folder.store.save('sirllm', { episode: 'dialogue-1', outcomes: [] });
    expect((await folder.store.finished('sirllm')).map((result) => result.episode)).toEqual([
      'dialogue-0',
      'dialogue-1',
    ]);
  });
});

describe('readTaskEpisodes', () => {
  it('reads the data in place from the data root or the task folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'sirllm-data-'));
    mkdirSync(join(root, 'grocery'));
    writeFileSync(
      join(root, 'grocery', 'keys.jsonl'),
      syntheticGrocery([
        { item: 'tea', distractorAnswers: ['A'], recallOptions: ['tea', 'milk', 'eggs', 'rice'] },
        { item: 'milk', distractorAnswers: ['B'], recallOptions: ['tea', 'milk', 'eggs', 'rice'] },
      ]),
    );
    mkdirSync(join(root, 'rock_paper_scissors'));
    writeFileSync(
      join(root, 'rock_paper_scissors', 'rock_paper_scissors_dominant_rock.jsonl'),
      syntheticRockPaperScissors('AAB'),
    );
    writeFileSync(
      join(root, 'rock_paper_scissors', 'rock_paper_scissors_dominant_paper.jsonl'),
      syntheticRockPaperScissors('BBA'),
    );
    expect(readTaskEpisodes('grocery', root, 1).map((episode) => episode.id)).toEqual(['episode-0']);
    expect(readTaskEpisodes('grocery', join(root, 'grocery'))).toHaveLength(2);
    const players = readTaskEpisodes('rock-paper-scissors', root, 2);
    expect(players.map((player) => [player.id, player.questions.length])).toEqual([
      ['player-paper', 2],
      ['player-rock', 2],
    ]);
    expect(() => readTaskEpisodes('dailydialog', root)).toThrow(/dailydialog/);
    expect(readdirSync(root).sort()).toEqual(['grocery', 'rock_paper_scissors']);
  });
});

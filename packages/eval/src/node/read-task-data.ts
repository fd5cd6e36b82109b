import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidOptionError } from '@sirllm/core';
import { dailyDialogEpisodes } from '../tasks/dailydialog.js';
import { groceryEpisodes } from '../tasks/grocery.js';
import { rockPaperScissorsEpisode } from '../tasks/rock-paper-scissors.js';
import type { TaskName } from '../tasks/task-name.js';
import type { TaskEpisode } from '../tasks/task-question.js';

const layout: Record<TaskName, { folder: string; file: RegExp }> = {
  dailydialog: { folder: 'dailydialog', file: /^dailydialog\.jsonl$/u },
  grocery: { folder: 'grocery', file: /^keys\.jsonl$/u },
  'rock-paper-scissors': {
    folder: 'rock_paper_scissors',
    file: /^rock_paper_scissors_dominant_(\w+)\.jsonl$/u,
  },
};

/**
 * Reads a task's episodes from the data folder, in place: `dataFolder` is the SirLLM data root (with
 * `dailydialog/`, `grocery/`, `rock_paper_scissors/`) or the task's own folder. Rock-Paper-Scissors
 * plays every `rock_paper_scissors_dominant_{player}.jsonl` found, players sorted by name. `skip`
 * (Grocery only) leaves out that many episodes before `limit` counts.
 */
export function readTaskEpisodes(
  task: TaskName,
  dataFolder: string,
  limit?: number,
  skip = 0,
): TaskEpisode[] {
  const { folder, file } = layout[task];
  const candidates = [join(dataFolder, folder), dataFolder];
  const directory = candidates.find(
    (path) => existsSync(path) && readdirSync(path).some((name) => file.test(name)),
  );
  if (directory === undefined) {
    throw new InvalidOptionError({
      option: 'data',
      value: dataFolder,
      expected: `a folder holding ${folder}/ (or its files) for ${task}, e.g. ../shared/datasets/sirllm`,
    });
  }
  const files = readdirSync(directory)
    .filter((name) => file.test(name))
    .sort();
  const read = (name: string) => readFileSync(join(directory, name), 'utf8');
  switch (task) {
    case 'dailydialog':
      return dailyDialogEpisodes(read(files[0] as string), limit);
    case 'grocery':
      return groceryEpisodes(read(files[0] as string), skip + (limit ?? Number.POSITIVE_INFINITY)).slice(
        skip,
      );
    case 'rock-paper-scissors':
      return files.map((name) => rockPaperScissorsEpisode(file.exec(name)?.[1] as string, read(name), limit));
  }
}

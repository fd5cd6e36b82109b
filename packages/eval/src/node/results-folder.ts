import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidOptionError } from '@sirllm/core';
import type { EpisodeResult } from '../metrics/task-metrics.js';
import { markdownReport } from '../report/markdown-report.js';
import { resultsJson } from '../report/results-json.js';
import type { EvaluationSummary } from '../report/summarize-results.js';
import { svgChart } from '../report/svg-chart.js';
import { type EvaluationConfig, resultsFolderName } from '../run/evaluation-config.js';
import type { ResultStore } from '../run/result-store.js';

/** A results folder: `config.json`, `runs/<policy run>.jsonl` (one finished episode per line), reports. */
export interface ResultsFolder {
  /** The folder's path. */
  readonly path: string;
  /** True when the folder existed with the same config: finished episodes are reused. */
  readonly resumed: boolean;
  /** The folder's finished episodes, one JSON Lines file per policy run. */
  readonly store: ResultStore;
}

/**
 * Opens the results folder of `config` under `root`: named from the config, holding it in
 * `config.json`. A folder with the same config is resumed; a folder of the same name with another
 * config is never touched (the name gets a `-2`, `-3`, … suffix). Episode records are only ever
 * appended.
 */
export function openResultsFolder(root: string, config: EvaluationConfig): ResultsFolder {
  const base = resultsFolderName(config);
  const wanted = `${JSON.stringify(config, null, 2)}\n`;
  for (let attempt = 1; attempt < 1000; attempt++) {
    const path = join(root, attempt === 1 ? base : `${base}-${attempt}`);
    const configPath = join(path, 'config.json');
    if (existsSync(configPath)) {
      if (readFileSync(configPath, 'utf8') !== wanted) continue;
      return { path, resumed: true, store: new FolderResultStore(join(path, 'runs')) };
    }
    if (existsSync(path)) continue;
    mkdirSync(join(path, 'runs'), { recursive: true });
    writeFileSync(configPath, wanted, { flag: 'wx' });
    return { path, resumed: false, store: new FolderResultStore(join(path, 'runs')) };
  }
  throw new InvalidOptionError({
    option: 'out',
    value: root,
    expected: 'a folder with room for a new results folder',
  });
}

/** Writes `results.md`, `results.json` and `chart.svg` (derived from the stored runs; rewritten each time). */
export function writeReports(
  folder: string,
  summary: EvaluationSummary,
): {
  /** The Markdown report (what `results.md` holds). */
  markdown: string;
  /** The paths of the files written. */
  files: string[];
} {
  const markdown = markdownReport(summary);
  const files: [string, string][] = [
    ['results.md', markdown],
    ['results.json', resultsJson(summary)],
    ['chart.svg', svgChart(summary)],
  ];
  for (const [name, content] of files) {
    const path = join(folder, name);
    writeFileSync(`${path}.tmp`, content);
    renameSync(`${path}.tmp`, path);
  }
  return { markdown, files: files.map(([name]) => join(folder, name)) };
}

class FolderResultStore implements ResultStore {
  readonly #folder: string;

  constructor(folder: string) {
    this.#folder = folder;
  }

  async finished(unit: string): Promise<readonly EpisodeResult[]> {
    const path = this.#file(unit);
    if (!existsSync(path)) return [];
    const results: EpisodeResult[] = [];
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        results.push(JSON.parse(line) as EpisodeResult);
      } catch {
        // A line cut short by an interrupted write: that episode simply runs again.
      }
    }
    return results;
  }

  async save(unit: string, result: EpisodeResult): Promise<void> {
    mkdirSync(this.#folder, { recursive: true });
    const path = this.#file(unit);
    // After an interrupted write the file may end mid-line: start a fresh line.
    const separator =
      existsSync(path) && !readFileSync(path, 'utf8').endsWith('\n') && readFileSync(path).length > 0
        ? '\n'
        : '';
    appendFileSync(path, `${separator}${JSON.stringify(result)}\n`);
  }

  #file(unit: string): string {
    return join(this.#folder, `${unit.replace(/[^A-Za-z0-9._-]/gu, '-')}.jsonl`);
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EpisodeResult } from '../src/metrics/task-metrics.js';
import { markdownReport } from '../src/report/markdown-report.js';
import { resultsJson } from '../src/report/results-json.js';
import { summarizeResults } from '../src/report/summarize-results.js';
import { svgChart } from '../src/report/svg-chart.js';
import { resolveEvaluationConfig } from '../src/run/evaluation-config.js';
import { policyRunsOf } from '../src/run/run-evaluation.js';
import type { QuestionOutcome } from '../src/scoring/ask-question.js';

const outcome = (kind: QuestionOutcome['kind'], chosen: number, gold: number): QuestionOutcome => ({
  id: 'q',
  kind,
  chosen,
  gold,
  options: [],
  contextTokens: 1,
  continuationTokens: 1,
  resident: 2,
  decidedBy: 'likelihood',
});

describe('reports', () => {
  const config = resolveEvaluationConfig({
    task: 'grocery',
    backend: 'reference',
    model: 'tiny',
    policies: ['streaming-llm', 'random', 'sirllm'],
    randomSeeds: 2,
  });
  // Stream: ACC_c 1/2, ACC_g 0/1. Random seeds: ACC_g 1/1 and 0/1 → 50 %. SirLLM: ACC_c 2/2, ACC_g 1/1.
  const episode = (commonsense: [number, number], recall: number): EpisodeResult => ({
    episode: 'episode-0',
    outcomes: [
      outcome('grocery-key', 0, 0),
      outcome('commonsense', commonsense[0], 0),
      outcome('commonsense', commonsense[1], 0),
      outcome('grocery-recall', recall, 2),
    ],
  });
  const byUnit: Record<string, EpisodeResult> = {
    'streaming-llm': episode([0, 1], 0),
    'random-seed-0': episode([0, 0], 2),
    'random-seed-1': episode([1, 1], 1),
    sirllm: episode([0, 0], 2),
  };
  const summary = summarizeResults({
    config,
    model: 'tiny-llama',
    complete: true,
    episodesPerRun: 1,
    runs: policyRunsOf(config).map((run) => ({ run, episodes: [byUnit[run.unit] as EpisodeResult] })),
  });

  it('averages Random over its seeds', () => {
    const random = summary.policies.find((policy) => policy.policy === 'random');
    expect(random?.metrics.recall?.rate).toBe(0.5);
    expect(random?.metrics.commonsense?.rate).toBe(0.5);
  });

  it("renders the paper's table layout", () => {
    const markdown = markdownReport(summary);
    expect(markdown).toContain('# Grocery Shopping, cache 1024, ACC_c / ACC_g %');
    expect(markdown).toContain('| model | Stream | Random | SirLLM |');
    expect(markdown).toContain('| tiny-llama | 50.00 / 0.00 | 50.00 / 50.00 | 100.00 / 100.00 (η 1) |');
  });

  it('writes JSON with the config and rates, and a standalone SVG with one bar per policy and metric', () => {
    const json = JSON.parse(resultsJson(summary));
    expect(json.config.task).toBe('grocery');
    expect(json.policies[2].metrics.recall.rate).toBe(1);
    const svg = svgChart(summary);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(6);
    expect(svg).toContain('<title>SirLLM: 100.00%</title>');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});

describe('the main entry', () => {
  it('imports nothing from node: (it runs on any runtime); file I/O lives in src/node', () => {
    const root = join(import.meta.dirname, '../src');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
      (name) => name.endsWith('.ts') && !name.startsWith('node'),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const name of files) expect(readFileSync(join(root, name), 'utf8')).not.toMatch(/from 'node:/);
  });
});

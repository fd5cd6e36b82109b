import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { summarizeResults } from '../src/report/summarize-results.js';
import { svgChart } from '../src/report/svg-chart.js';
import { resolveEvaluationConfig } from '../src/run/evaluation-config.js';
import { policyRunsOf } from '../src/run/run-evaluation.js';
import type { QuestionOutcome } from '../src/scoring/ask-question.js';

const dialogue = (chosen: number): QuestionOutcome => ({
  id: 'q',
  kind: 'dialogue',
  chosen,
  gold: 0,
  options: [],
  decidedBy: 'likelihood',
  contextTokens: 1,
  continuationTokens: 1,
  resident: 2,
});

describe('the SVG chart', () => {
  it('renders in an SVG rasterizer, with the SirLLM bar drawn in its colour at its height', () => {
    const config = resolveEvaluationConfig({
      task: 'dailydialog',
      backend: 'b',
      model: 'm',
      policies: ['streaming-llm', 'sirllm'],
    });
    const accuracy = { 'streaming-llm': [1, 1, 1, 1], sirllm: [0, 0, 0, 1] } as Record<string, number[]>; // 0 % and 75 %
    const summary = summarizeResults({
      config,
      model: 'test model',
      complete: true,
      episodesPerRun: 1,
      runs: policyRunsOf(config).map((run) => ({
        run,
        episodes: [{ episode: 'dialogue-0', outcomes: (accuracy[run.unit] ?? []).map(dialogue) }],
      })),
    });
    const image = new Resvg(svgChart(summary), { background: 'white' }).render();
    expect(image.width).toBe(480);
    const pixels = image.pixels;
    let sirllmPixels = 0;
    let topRow = image.height;
    for (let index = 0; index < pixels.length; index += 4) {
      const [red, green, blue] = [pixels[index], pixels[index + 1], pixels[index + 2]];
      if (red === 0xc0 && green === 0x39 && blue === 0x2b) {
        sirllmPixels++;
        topRow = Math.min(topRow, Math.floor(index / 4 / image.width));
      }
    }
    // The bar is 36 px wide and 75 % of the 260 px plot (195 px) tall; the legend swatch adds 12 × 12.
    expect(sirllmPixels).toBeGreaterThanOrEqual(36 * 195);
    expect(sirllmPixels).toBeLessThan(36 * 196 + 12 * 12 + 100);
    expect(topRow).toBe(60 + 260 - 195);
  });
});

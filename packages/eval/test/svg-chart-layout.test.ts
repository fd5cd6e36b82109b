import { describe, expect, it } from 'vitest';
import type { TaskMetrics } from '../src/metrics/task-metrics.js';
import type { EvaluationSummary } from '../src/report/summarize-results.js';
import { svgChart } from '../src/report/svg-chart.js';
import { resolveEvaluationConfig } from '../src/run/evaluation-config.js';
import { type PolicyName, policyNames, policyTitle } from '../src/run/policy-name.js';
import type { TaskName } from '../src/tasks/task-name.js';

const rate = (value: number) => ({ hits: value * 100, count: 100, rate: value });

/** Metrics with every figure the task's chart draws (RPS: rock, paper and scissors players). */
function metricsOf(task: TaskName, value: number): TaskMetrics {
  switch (task) {
    case 'dailydialog':
      return { questions: 100, likelihoodTies: 0, accuracy: rate(value) };
    case 'grocery':
      return { questions: 100, likelihoodTies: 0, commonsense: rate(value), recall: rate(1 - value) };
    case 'rock-paper-scissors':
      return {
        questions: 300,
        likelihoodTies: 0,
        players: ['rock', 'paper', 'scissors'].map((player) => ({
          player,
          win: rate(value),
          tie: rate((1 - value) / 2),
          lose: rate((1 - value) / 2),
        })),
        averageWinRate: value,
      };
  }
}

/** A summary of `count` policies (values 100 %, 0 %, and in between: labels at both extremes). */
function chartSummary(task: TaskName, count: number, model = 'test model'): EvaluationSummary {
  const policies = policyNames.slice(0, count) as PolicyName[];
  return {
    config: resolveEvaluationConfig({ task, backend: 'reference', model: 'tiny', policies }),
    model,
    complete: true,
    episodesPerRun: 1,
    policies: policies.map((policy, index) => {
      const metrics = metricsOf(task, index === 0 ? 1 : index === 1 ? 0 : index / count);
      return {
        policy,
        title: policyTitle(policy),
        runs: [{ unit: policy, seed: 0, metrics }],
        metrics,
        episodesFinished: 1,
        episodesSkipped: 0,
      };
    }),
  };
}

interface TextBox {
  readonly text: string;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

const unescapeXml = (text: string) =>
  text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&');

/**
 * Every `<text>` of the SVG as a box: the width estimated as 0.6 em per character (Helvetica's average
 * is ~0.5 em), placed by `text-anchor`; from 0.75 em above the baseline to 0.22 em below it.
 */
function textBoxes(svg: string): TextBox[] {
  return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attributes = '', content = '']) => {
    const attribute = (name: string) => new RegExp(`(?:^| )${name}="([^"]*)"`).exec(attributes)?.[1];
    const x = Number(attribute('x'));
    const y = Number(attribute('y'));
    const fontSize = Number(attribute('font-size'));
    const text = unescapeXml(content);
    const width = text.length * fontSize * 0.6;
    const anchor = attribute('text-anchor') ?? 'start';
    const left = anchor === 'middle' ? x - width / 2 : anchor === 'end' ? x - width : x;
    return { text, left, right: left + width, top: y - 0.75 * fontSize, bottom: y + 0.22 * fontSize };
  });
}

const overlap = (a: TextBox, b: TextBox) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

const chartSize = (svg: string) => {
  const [, width = 'NaN', height = 'NaN'] = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg) ?? [];
  return { width: Number(width), height: Number(height) };
};

/** The group labels under the x axis, in order (the task's metric names). */
const axisLabels: Record<TaskName, string[]> = {
  dailydialog: ['accuracy'],
  grocery: ['ACC_c (CommonsenseQA)', 'ACC_g (grocery recall)'],
  'rock-paper-scissors': [
    'win rate, rock player',
    'win rate, paper player',
    'win rate, scissors player',
    'average win rate',
  ],
};

const tasks: TaskName[] = ['dailydialog', 'grocery', 'rock-paper-scissors'];

describe('the SVG chart layout', () => {
  for (const task of tasks) {
    for (const count of [1, 2, 3, policyNames.length]) {
      it(`${task}, ${count} ${count === 1 ? 'policy' : 'policies'}: the x-axis labels are apart, in order, under their bars`, () => {
        const svg = svgChart(chartSummary(task, count));
        const boxes = textBoxes(svg);
        const labels = axisLabels[task].map((label) => {
          const matching = boxes.filter((box) => box.text === label);
          expect(matching, label).toHaveLength(1);
          return matching[0] as TextBox;
        });
        for (let index = 1; index < labels.length; index++) {
          const [before, after] = [labels[index - 1] as TextBox, labels[index] as TextBox];
          // At least 8 px of space between neighbouring labels (they share one baseline).
          expect(after.left - before.right, `${before.text} | ${after.text}`).toBeGreaterThanOrEqual(8);
        }
        // Each label is centred under its group's bars: the bars' span has the label's centre.
        const bars = [
          ...svg.matchAll(
            /<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="[\d.]+" fill="[^"]+"><title>/g,
          ),
        ].map(([, x, width]) => ({ left: Number(x), right: Number(x) + Number(width) }));
        expect(bars).toHaveLength(labels.length * count);
        labels.forEach((label, group) => {
          const groupBars = bars.slice(group * count, (group + 1) * count);
          const centre = (label.left + label.right) / 2;
          const barsCentre = ((groupBars[0]?.left ?? 0) + (groupBars.at(-1)?.right ?? 0)) / 2;
          expect(Math.abs(centre - barsCentre), label.text).toBeLessThanOrEqual(0.5);
        });
      });

      it(`${task}, ${count} ${count === 1 ? 'policy' : 'policies'}: no two texts overlap and every text is inside the image`, () => {
        const svg = svgChart(chartSummary(task, count));
        const { width, height } = chartSize(svg);
        const boxes = textBoxes(svg);
        expect(boxes.length).toBeGreaterThan(10);
        for (const [index, box] of boxes.entries()) {
          expect(box.left, box.text).toBeGreaterThanOrEqual(0);
          expect(box.right, box.text).toBeLessThanOrEqual(width);
          expect(box.top, box.text).toBeGreaterThanOrEqual(0);
          expect(box.bottom, box.text).toBeLessThanOrEqual(height);
          for (const other of boxes.slice(index + 1)) {
            expect(overlap(box, other), `"${box.text}" overlaps "${other.text}"`).toBe(false);
          }
        }
      });
    }
  }

  it('keeps the 480 px width where everything fits, and widens for a long model name', () => {
    expect(chartSize(svgChart(chartSummary('dailydialog', 2))).width).toBe(480);
    expect(chartSize(svgChart(chartSummary('grocery', 1))).width).toBe(480);
    const long = svgChart(chartSummary('grocery', 1, `models/${'very-long-model-name-'.repeat(4)}.gguf`));
    const { width } = chartSize(long);
    expect(width).toBeGreaterThan(480);
    for (const box of textBoxes(long)) expect(box.right, box.text).toBeLessThanOrEqual(width);
  });
});

import { escapeMarkup } from './escape-markup.js';
import type { EvaluationSummary } from './summarize-results.js';

const colors: Record<string, string> = {
  'streaming-llm': '#8c8c8c',
  random: '#e0a43a',
  interval: '#6c9bd2',
  sirllm: '#c0392b',
  full: '#2e8b57',
};

interface Group {
  readonly label: string;
  /** Chance level of the metric, drawn as a dashed line (absent: none). */
  readonly chance?: number;
  readonly values: readonly (number | undefined)[];
}

function groupsOf(summary: EvaluationSummary): Group[] {
  const { policies } = summary;
  switch (summary.config.task) {
    case 'dailydialog':
      return [
        { label: 'accuracy', chance: 0.25, values: policies.map((policy) => policy.metrics.accuracy?.rate) },
      ];
    case 'grocery':
      return [
        {
          label: 'ACC_c (CommonsenseQA)',
          chance: 0.2,
          values: policies.map((policy) => policy.metrics.commonsense?.rate),
        },
        {
          label: 'ACC_g (grocery recall)',
          chance: 0.25,
          values: policies.map((policy) => policy.metrics.recall?.rate),
        },
      ];
    case 'rock-paper-scissors': {
      const players = [
        ...new Set(
          policies.flatMap((policy) => (policy.metrics.players ?? []).map((player) => player.player)),
        ),
      ];
      return [
        ...players.map((player) => ({
          label: `win rate, ${player} player`,
          chance: 1 / 3,
          values: policies.map(
            (policy) => policy.metrics.players?.find((entry) => entry.player === player)?.win.rate,
          ),
        })),
        {
          label: 'average win rate',
          chance: 1 / 3,
          values: policies.map((policy) => policy.metrics.averageWinRate),
        },
      ];
    }
  }
}

/**
 * A generous estimate of the width of `text` in Helvetica/Arial at `fontSize` px: 0.6 em per character
 * (their average is ~0.5 em; capitals and digits are wider). Used to keep labels apart.
 */
export function estimatedTextWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.6;
}

/** Where one group of bars goes: its bars start at `barsX`, its label is centred on `labelX`. */
interface GroupLayout {
  readonly barsX: number;
  readonly labelX: number;
  /** The right edge of everything the group draws (bars, label, chance line and its "chance" text). */
  readonly right: number;
}

const labelFontSize = 12;
const chanceFontSize = 10;

/**
 * Lays the groups out left to right from `start`. A group is as wide as its bars or its label, whichever
 * is wider (one policy: one 36 px bar under a ~150 px label), with the bars centred under the label; the
 * "chance" text to the right of the bars counts too; `spacing` separates one group's right edge from the
 * next group's left edge.
 */
function layoutGroups(groups: readonly Group[], barsWidth: number, start: number, spacing: number) {
  const layouts: GroupLayout[] = [];
  let cursor = start;
  for (const group of groups) {
    const contentWidth = Math.max(barsWidth, estimatedTextWidth(group.label, labelFontSize));
    const barsX = Math.round(cursor + (contentWidth - barsWidth) / 2);
    const chanceRight =
      group.chance === undefined ? 0 : barsX + barsWidth + 8 + estimatedTextWidth('chance', chanceFontSize);
    const right = Math.max(cursor + contentWidth, chanceRight);
    layouts.push({ barsX, labelX: barsX + barsWidth / 2, right });
    cursor = right + spacing;
  }
  return layouts;
}

/**
 * A standalone SVG bar chart of the results: one group of bars per metric, one bar per policy (in %),
 * the value above each bar, a dashed line at chance level where the metric has one. Groups are spaced so
 * that their labels never overlap (with a single policy a label is much wider than its bar); the chart
 * is at least 480 px wide and widens to fit the groups, the title and the legend.
 */
export function svgChart(summary: EvaluationSummary): string {
  const groups = groupsOf(summary);
  const policies = summary.policies;
  const barWidth = 36;
  const gap = 8;
  const plotTop = 60;
  const plotHeight = 260;
  const left = 56;
  const groupWidth = policies.length * (barWidth + gap) - gap;
  // 22 px between groups: 16 px of space plus the 6 px the next chance line reaches left of its bars.
  const layouts = layoutGroups(groups, groupWidth, left + 16, 22);
  const legendWidth = policies.reduce((sum, policy) => sum + 24 + policy.title.length * 8, 0);
  const width = Math.ceil(
    Math.max(
      480,
      (layouts.at(-1)?.right ?? left) + 16,
      left + estimatedTextWidth(title(summary), 16) + 16,
      left + estimatedTextWidth(subtitle(summary), 12) + 16,
      left + legendWidth,
    ),
  );
  const height = plotTop + plotHeight + 90;
  const y = (value: number) => plotTop + plotHeight * (1 - value);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="24" font-size="16" font-weight="bold">${escapeMarkup(title(summary))}</text>`,
    `<text x="${left}" y="44" font-size="12" fill="#555">${escapeMarkup(subtitle(summary))}</text>`,
  ];
  for (let tick = 0; tick <= 100; tick += 20) {
    const ty = y(tick / 100);
    parts.push(
      `<line x1="${left}" y1="${ty}" x2="${width - 16}" y2="${ty}" stroke="#e5e5e5"/>`,
      `<text x="${left - 8}" y="${ty + 4}" font-size="11" text-anchor="end" fill="#555">${tick}%</text>`,
    );
  }
  groups.forEach((group, groupIndex) => {
    const { barsX: x0, labelX } = layouts[groupIndex] as GroupLayout;
    group.values.forEach((value, index) => {
      const policy = policies[index];
      if (policy === undefined) return;
      const x = x0 + index * (barWidth + gap);
      if (value === undefined || Number.isNaN(value)) {
        parts.push(
          `<text x="${x + barWidth / 2}" y="${y(0) - 4}" font-size="11" text-anchor="middle" fill="#999">n/a</text>`,
        );
        return;
      }
      parts.push(
        `<rect x="${x}" y="${y(value)}" width="${barWidth}" height="${plotHeight * value}" fill="${colors[policy.policy] ?? '#444'}"><title>${escapeMarkup(`${policy.title}: ${(value * 100).toFixed(2)}%`)}</title></rect>`,
        `<text x="${x + barWidth / 2}" y="${y(value) - 4}" font-size="11" text-anchor="middle">${(value * 100).toFixed(1)}</text>`,
      );
    });
    if (group.chance !== undefined) {
      const cy = y(group.chance);
      parts.push(
        `<line x1="${x0 - 6}" y1="${cy}" x2="${x0 + groupWidth + 6}" y2="${cy}" stroke="#333" stroke-dasharray="4 3"/>`,
        `<text x="${x0 + groupWidth + 8}" y="${cy + 4}" font-size="${chanceFontSize}" fill="#333">chance</text>`,
      );
    }
    parts.push(
      `<text x="${labelX}" y="${y(0) + 18}" font-size="${labelFontSize}" text-anchor="middle">${escapeMarkup(group.label)}</text>`,
    );
  });
  parts.push(`<line x1="${left}" y1="${y(0)}" x2="${width - 16}" y2="${y(0)}" stroke="#333"/>`);
  let legendX = left;
  const legendY = height - 24;
  for (const policy of policies) {
    parts.push(
      `<rect x="${legendX}" y="${legendY - 10}" width="12" height="12" fill="${colors[policy.policy] ?? '#444'}"/>`,
      `<text x="${legendX + 16}" y="${legendY}" font-size="12">${escapeMarkup(policy.title)}</text>`,
    );
    legendX += 24 + policy.title.length * 8;
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function title(summary: EvaluationSummary): string {
  const names = {
    dailydialog: 'DailyDialog',
    grocery: 'Grocery Shopping',
    'rock-paper-scissors': 'Rock-Paper-Scissors',
  };
  return `${names[summary.config.task]} — cache ${summary.config.capacity}${summary.complete ? '' : ' (partial)'}`;
}

function subtitle(summary: EvaluationSummary): string {
  return `${summary.model} · ${summary.config.scoring} scoring · SirLLM η ${summary.config.decay}`;
}

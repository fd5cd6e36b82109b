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

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * A standalone SVG bar chart of the results: one group of bars per metric, one bar per policy (in %),
 * the value above each bar, a dashed line at chance level where the metric has one.
 */
export function svgChart(summary: EvaluationSummary): string {
  const groups = groupsOf(summary);
  const policies = summary.policies;
  const barWidth = 36;
  const gap = 8;
  const groupGap = 48;
  const plotTop = 60;
  const plotHeight = 260;
  const left = 56;
  const groupWidth = policies.length * (barWidth + gap) - gap;
  const width = Math.max(480, left + groups.length * (groupWidth + groupGap) + 24);
  const height = plotTop + plotHeight + 90;
  const y = (value: number) => plotTop + plotHeight * (1 - value);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="24" font-size="16" font-weight="bold">${escapeXml(title(summary))}</text>`,
    `<text x="${left}" y="44" font-size="12" fill="#555">${escapeXml(subtitle(summary))}</text>`,
  ];
  for (let tick = 0; tick <= 100; tick += 20) {
    const ty = y(tick / 100);
    parts.push(
      `<line x1="${left}" y1="${ty}" x2="${width - 16}" y2="${ty}" stroke="#e5e5e5"/>`,
      `<text x="${left - 8}" y="${ty + 4}" font-size="11" text-anchor="end" fill="#555">${tick}%</text>`,
    );
  }
  groups.forEach((group, groupIndex) => {
    const x0 = left + 16 + groupIndex * (groupWidth + groupGap);
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
        `<rect x="${x}" y="${y(value)}" width="${barWidth}" height="${plotHeight * value}" fill="${colors[policy.policy] ?? '#444'}"><title>${escapeXml(`${policy.title}: ${(value * 100).toFixed(2)}%`)}</title></rect>`,
        `<text x="${x + barWidth / 2}" y="${y(value) - 4}" font-size="11" text-anchor="middle">${(value * 100).toFixed(1)}</text>`,
      );
    });
    if (group.chance !== undefined) {
      const cy = y(group.chance);
      parts.push(
        `<line x1="${x0 - 6}" y1="${cy}" x2="${x0 + groupWidth + 6}" y2="${cy}" stroke="#333" stroke-dasharray="4 3"/>`,
        `<text x="${x0 + groupWidth + 8}" y="${cy + 4}" font-size="10" fill="#333">chance</text>`,
      );
    }
    parts.push(
      `<text x="${x0 + groupWidth / 2}" y="${y(0) + 18}" font-size="12" text-anchor="middle">${escapeXml(group.label)}</text>`,
    );
  });
  parts.push(`<line x1="${left}" y1="${y(0)}" x2="${width - 16}" y2="${y(0)}" stroke="#333"/>`);
  let legendX = left;
  const legendY = height - 24;
  for (const policy of policies) {
    parts.push(
      `<rect x="${legendX}" y="${legendY - 10}" width="12" height="12" fill="${colors[policy.policy] ?? '#444'}"/>`,
      `<text x="${legendX + 16}" y="${legendY}" font-size="12">${escapeXml(policy.title)}</text>`,
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

import type { TaskMetrics } from '../metrics/task-metrics.js';
import { taskDefaults } from '../tasks/task-name.js';
import { formatPercent } from './format-percent.js';
import type { EvaluationSummary, PolicySummary } from './summarize-results.js';

const taskTitles = {
  dailydialog: 'DailyDialog',
  grocery: 'Grocery Shopping',
  'rock-paper-scissors': 'Rock-Paper-Scissors',
} as const;

/** The table cell of one policy in the paper's layout for the task. */
export function paperCell(summary: EvaluationSummary, policy: PolicySummary): string {
  const { metrics } = policy;
  if (policy.episodesFinished === 0) return policy.episodesSkipped > 0 ? 'does not fit' : '—';
  let cell: string;
  switch (summary.config.task) {
    case 'dailydialog':
      cell = formatPercent(metrics.accuracy?.rate);
      break;
    case 'grocery':
      cell = `${formatPercent(metrics.commonsense?.rate)} / ${formatPercent(metrics.recall?.rate)}`;
      break;
    case 'rock-paper-scissors':
      cell = formatPercent(metrics.averageWinRate);
      break;
  }
  return policy.policy === 'sirllm' ? `${cell} (η ${summary.config.decay})` : cell;
}

/**
 * The results as markdown: the paper's table (one row for the model, one column per policy; cells as
 * in the paper: DailyDialog accuracy %, Grocery ACC_c / ACC_g %, RPS average win rate %), the details
 * (RPS win / tie / lose per player, Random's seeds), and the settings.
 */
export function markdownReport(summary: EvaluationSummary): string {
  const { config } = summary;
  const title = taskTitles[config.task];
  const metricName =
    config.task === 'dailydialog'
      ? 'accuracy %'
      : config.task === 'grocery'
        ? 'ACC_c / ACC_g %'
        : 'average win rate % over players';
  const lines = [
    `# ${title}, cache ${config.capacity}, ${metricName}`,
    '',
    ...(summary.complete
      ? []
      : ['**Partial results**: the run was stopped; rerun the same command to resume.', '']),
    table(
      ['model', ...summary.policies.map((policy) => policy.title)],
      [[summary.model, ...summary.policies.map((policy) => paperCell(summary, policy))]],
    ),
    '',
  ];
  if (config.task === 'rock-paper-scissors') {
    lines.push('## Per player (win / tie / lose %)', '');
    const rows: string[][] = [];
    for (const policy of summary.policies) {
      for (const player of policy.metrics.players ?? []) {
        rows.push([
          policy.title,
          player.player,
          formatPercent(player.win.rate),
          formatPercent(player.tie.rate),
          formatPercent(player.lose.rate),
        ]);
      }
    }
    lines.push(table(['policy', 'player', 'win', 'tie', 'lose'], rows), '');
  }
  lines.push('## Runs', '');
  lines.push(
    table(
      ['policy', 'run', 'episodes', 'questions', detailHeader(config.task), 'decided by a tie'],
      summary.policies.flatMap((policy) =>
        policy.runs.map((run) => [
          policy.title,
          run.unit,
          `${policy.episodesFinished} of ${summary.episodesPerRun}${policy.episodesSkipped ? ` (${policy.episodesSkipped} do not fit)` : ''}`,
          String(run.metrics.questions),
          detail(run.metrics),
          String(run.metrics.likelihoodTies),
        ]),
      ),
    ),
    '',
  );
  lines.push(
    '## Settings',
    '',
    `- task: ${config.task}; backend: ${config.backend}; model: \`${config.model}\` (${summary.model})`,
    `- cache ${config.capacity} cells, ${config.sinks} sinks; SirLLM η ${config.decay} (baselines η 1)`,
    `- scoring: ${config.scoring}; prompt format: ${config.promptFormat}; choice rule: ${taskDefaults[config.task].rule}`,
    `- limit: ${config.limit ?? "the paper's"} ${taskDefaults[config.task].limitUnit}${config.skip ? ` after skipping ${config.skip}` : ''}; Random: mean over ${config.randomSeeds} seed(s) from ${config.seed}`,
    '',
  );
  return lines.join('\n');
}

function detailHeader(task: EvaluationSummary['config']['task']): string {
  return task === 'dailydialog' ? 'accuracy' : task === 'grocery' ? 'ACC_c / ACC_g' : 'average win rate';
}

function detail(metrics: TaskMetrics): string {
  if (metrics.accuracy)
    return `${formatPercent(metrics.accuracy.rate)} (${metrics.accuracy.hits}/${metrics.accuracy.count})`;
  if (metrics.commonsense || metrics.recall) {
    return `${formatPercent(metrics.commonsense?.rate)} / ${formatPercent(metrics.recall?.rate)}`;
  }
  return formatPercent(metrics.averageWinRate);
}

/** A markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${header.map(escapeCell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

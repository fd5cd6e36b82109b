import { readFileSync } from 'node:fs';
import { InvalidOptionError } from '@sirllm/core';
import {
  type EvaluationConfigInput,
  keyValueCacheTypes,
  policyNames,
  promptFormatNames,
  resolveEvaluationConfig,
  runEvaluation,
  scoringModes,
  summarizeResults,
  type TaskName,
  taskNames,
} from '@sirllm/eval';
import { openResultsFolder, readTaskEpisodes, writeReports } from '@sirllm/eval/node';
import {
  optionChoice,
  optionInteger,
  optionNumber,
  optionText,
  parseArguments,
} from '../arguments/parse-arguments.js';
import { UsageError } from '../arguments/usage-error.js';
import { loadBackend } from '../backends/load-backend.js';
import { ProgressBar } from '../progress/progress-bar.js';
import type { CommandIo } from './command-io.js';

export const evalUsage = `Usage: sirllm eval <task> --backend <name> --model <model> --data <dir> [options]
       sirllm eval --config <file.json> [--data <dir>] [--out <dir>]

Runs one of the SirLLM paper's tasks over a bounded cache, for one or more policies at the same budget,
and writes results.md (the paper's table), results.json and chart.svg into a results folder named from
the config. The same command resumes an interrupted run; a folder is never reused for another config.

Tasks: ${taskNames.join(', ')}

Options:
  --backend <name>       reference (testkit model, no download), llamacpp or transformers
  --model <model>        a model file or folder; for reference: tiny or tiny:layers=2,seed=3
  --data <dir>           the SirLLM data folder (e.g. ../shared/datasets/sirllm), read in place
  --policy <names>       ${policyNames.join(', ')}, a comma list, or all (default: all but full)
  --capacity <n>         cache cells (default: 512 for dailydialog, 1024 otherwise, as in the paper)
  --decay <η>            SirLLM's η in (0, 1] (default: dailydialog 0.5, grocery 1, rock-paper-scissors 0.7)
  --sinks <n>            attention sinks (default 4)
  --scoring <mode>       letter (the paper: " A") or cloze (the option text) (default letter)
  --prompt <format>      ${promptFormatNames.join(', ')} (default vicuna: "USER: …\\n\\nASSISTANT:")
  --limit <n>            dailydialog: items (paper 2000); grocery: episodes (all 400); rock-paper-scissors:
                         rounds per player (paper 2000)
  --threads <n>          CPU threads of the llamacpp and transformers backends (default: every core)
  --kv-cache <type>      llamacpp only: f16 (llama.cpp's default) or f32 key-value cache; f32 computes what
                         a float32 ONNX model computes (the bundled demo model's figures use it)
  --skip <n>             grocery: episodes to skip first (the demo model's held-out set: --skip 350 --limit 50)
  --seed <n>             first seed of the Random policy (default 0)
  --random-seeds <n>     Random is averaged over this many seeds (default 3)
  --out <dir>            where results folders go (default: results)
  --config <file>        read the settings from a JSON file (fields as in results/*/config.json)
  -h, --help             this text

Ctrl-C stops after the current question; finished episodes are kept, and rerunning resumes.`;

const specification = {
  backend: { value: true },
  model: { value: true },
  data: { value: true },
  policy: { value: true },
  capacity: { value: true },
  decay: { value: true },
  sinks: { value: true },
  scoring: { value: true },
  prompt: { value: true },
  limit: { value: true },
  skip: { value: true },
  threads: { value: true },
  'kv-cache': { value: true },
  seed: { value: true },
  'random-seeds': { value: true },
  out: { value: true },
  config: { value: true },
} as const;

/** `sirllm eval`: returns the exit code (0 done, 2 usage, 130 stopped by Ctrl-C with results kept). */
export async function runEvalCommand(argumentsList: readonly string[], io: CommandIo): Promise<number> {
  const command = 'sirllm eval';
  const parsed = parseArguments(command, argumentsList, specification);
  if (parsed.options.has('help')) {
    io.out(evalUsage);
    return 0;
  }
  const input = configInput(command, parsed);
  let config: ReturnType<typeof resolveEvaluationConfig>;
  try {
    config = resolveEvaluationConfig(input);
  } catch (error) {
    if (InvalidOptionError.isInstance(error)) throw new UsageError(command, error.message);
    throw error;
  }
  const data = optionText(parsed, 'data') ?? (input as { data?: string }).data;
  if (data === undefined)
    throw new UsageError(
      command,
      'missing --data <dir> (the SirLLM data folder, e.g. ../shared/datasets/sirllm)',
    );
  let episodes: ReturnType<typeof readTaskEpisodes>;
  try {
    episodes = readTaskEpisodes(config.task, data, config.limit, config.skip);
  } catch (error) {
    if (InvalidOptionError.isInstance(error) && error.option === 'data')
      throw new UsageError(command, error.message);
    throw error;
  }
  const threads = optionInteger(command, parsed, 'threads', { minimum: 1, maximum: 256 });
  const backend = await loadBackend(command, config.backend, config.model, {
    ...(threads === undefined ? {} : { threads }),
    ...(config.keyValueCacheType === undefined ? {} : { keyValueCacheType: config.keyValueCacheType }),
  });
  const folder = openResultsFolder(optionText(parsed, 'out') ?? 'results', config);
  io.error(`${folder.resumed ? 'Resuming' : 'Writing'} ${folder.path}`);
  const progress = new ProgressBar(io.progressStream, io.progressInterval);
  const controller = new AbortController();
  const stop = io.onInterrupt(() => {
    io.error('\nStopping after the current question…');
    controller.abort();
  });
  try {
    const results = await runEvaluation({
      config,
      backend,
      episodes,
      store: folder.store,
      signal: controller.signal,
      onProgress: ({ completed, total, unit, episode }) =>
        progress.update(completed, total, `${unit} ${episode}`),
    });
    progress.finish();
    const { markdown, files } = writeReports(folder.path, summarizeResults(results));
    io.out(markdown);
    io.error(`Wrote ${files.join(', ')}`);
    if (!results.complete) {
      io.error('Stopped: finished episodes are kept. Run the same command again to resume.');
      return 130;
    }
    return 0;
  } finally {
    stop();
    await backend.dispose();
  }
}

function configInput(
  command: string,
  parsed: ReturnType<typeof parseArguments>,
): EvaluationConfigInput & { data?: string } {
  const file = optionText(parsed, 'config');
  let base: Record<string, unknown> = {};
  if (file !== undefined) {
    try {
      base = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(
        command,
        `cannot read --config ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const task = parsed.positionals[0] ?? (base.task as string | undefined);
  if (task === undefined) throw new UsageError(command, `missing <task> (one of ${taskNames.join(', ')})`);
  if (!(taskNames as readonly string[]).includes(task)) {
    throw new UsageError(command, `unknown task "${task}" (expected ${taskNames.join(', ')})`);
  }
  if (parsed.positionals.length > 1)
    throw new UsageError(command, `unexpected argument "${parsed.positionals[1]}"`);
  const policy = optionText(parsed, 'policy');
  const policies =
    policy === undefined
      ? (base.policies as string[] | undefined)
      : policy === 'all'
        ? [...policyNames]
        : policy.split(',');
  const pick = <T>(value: T | undefined, key: string): T | undefined => value ?? (base[key] as T | undefined);
  const backend = pick(optionText(parsed, 'backend'), 'backend');
  const model = pick(optionText(parsed, 'model'), 'model');
  if (backend === undefined)
    throw new UsageError(command, 'missing --backend <reference|llamacpp|transformers>');
  if (model === undefined) {
    throw new UsageError(
      command,
      'missing --model <path> (for --backend reference: tiny or tiny:layers=2,seed=3)',
    );
  }
  const entries: Record<string, unknown> = {
    ...base,
    task: task as TaskName,
    backend,
    model,
    policies,
    capacity: pick(optionInteger(command, parsed, 'capacity', { minimum: 1 }), 'capacity'),
    decay: pick(optionNumber(command, parsed, 'decay', { exclusiveMinimum: 0, maximum: 1 }), 'decay'),
    sinks: pick(optionInteger(command, parsed, 'sinks'), 'sinks'),
    scoring: pick(optionChoice(command, parsed, 'scoring', scoringModes), 'scoring'),
    promptFormat: pick(optionChoice(command, parsed, 'prompt', promptFormatNames), 'promptFormat'),
    limit: pick(optionInteger(command, parsed, 'limit', { minimum: 1 }), 'limit'),
    skip: pick(optionInteger(command, parsed, 'skip', { minimum: 0 }), 'skip'),
    seed: pick(optionInteger(command, parsed, 'seed'), 'seed'),
    randomSeeds: pick(
      optionInteger(command, parsed, 'random-seeds', { minimum: 1, maximum: 100 }),
      'randomSeeds',
    ),
    keyValueCacheType: pick(
      optionChoice(command, parsed, 'kv-cache', keyValueCacheTypes),
      'keyValueCacheType',
    ),
  };
  for (const key of Object.keys(entries)) if (entries[key] === undefined) delete entries[key];
  return entries as unknown as EvaluationConfigInput & { data?: string };
}

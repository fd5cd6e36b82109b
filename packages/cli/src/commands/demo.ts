import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidOptionError } from '@sirllm/core';
import {
  type DemoEpisodeResult,
  demoPolicies,
  firstHeldOutGroceryEpisode,
  heldOutGroceryEpisodeCount,
  heldOutGroceryEpisodes,
  runDemoEpisode,
  type TaskEpisode,
} from '@sirllm/eval';
import { optionChoice, optionInteger, optionText, parseArguments } from '../arguments/parse-arguments.js';
import { UsageError } from '../arguments/usage-error.js';
import { loadBackend } from '../backends/load-backend.js';
import { bundledDemoModel, demoModelGguf, locateDemoData } from '../demo/demo-assets.js';
import { DemoProgress, type PolicyTally } from '../demo/demo-progress.js';
import { renderTerminal } from '../inspect/render-terminal.js';
import type { CommandIo } from './command-io.js';
import { markdownTable } from './measure.js';

export const demoUsage = `Usage: sirllm demo [options]

SirLLM remembers what StreamingLLM forgets. The bundled demo model (models/sirllm-grocery-demo, trained
here, no download) plays held-out Grocery Shopping episodes (350–399 of the SirLLM data): "I want you to
buy the GROCERY: [item]", 20 CommonsenseQA questions, then "Which one is the GROCERY…?". Both policies get
the same cache budget, ~40 % of an episode, so both must evict. Prints the recall table and what each
policy kept of one episode.

Options:
  --capacity <n>     cache cells per session (default 512; an episode is ~1,300 tokens)
  --episodes <n>     how many held-out episodes, 1–50 (default 50)
  --backend <name>   llamacpp (default) or transformers
  --model <folder>   the model folder (default: the bundled models/sirllm-grocery-demo)
  --data <folder>    a SirLLM data folder holding grocery/keys.jsonl with episodes 350–399 (default:
                     $SIRLLM_DATA, else the held-out episodes shipped in models/sirllm-grocery-demo/data)
  --threads <n>      CPU threads of the backend (default 1: fastest for a model this small)
  --show <e>         the episode (350–399) whose memory is shown (default: the first one SirLLM
                     recalls and StreamingLLM does not)
  -h, --help         this text`;

const specification = {
  capacity: { value: true },
  episodes: { value: true },
  backend: { value: true },
  model: { value: true },
  data: { value: true },
  show: { value: true },
  threads: { value: true },
} as const;

/** `sirllm demo`: 0 when done, 2 on bad arguments, 130 when stopped by Ctrl-C. */
export async function runDemoCommand(argumentsList: readonly string[], io: CommandIo): Promise<number> {
  const command = 'sirllm demo';
  const parsed = parseArguments(command, argumentsList, specification);
  if (parsed.options.has('help')) {
    io.out(demoUsage);
    return 0;
  }
  if (parsed.positionals.length > 0)
    throw new UsageError(command, `unexpected argument "${parsed.positionals[0]}"`);
  const capacity = optionInteger(command, parsed, 'capacity', { minimum: 64, maximum: 4096 }) ?? 512;
  const count =
    optionInteger(command, parsed, 'episodes', { minimum: 1, maximum: heldOutGroceryEpisodeCount }) ??
    heldOutGroceryEpisodeCount;
  const show = optionInteger(command, parsed, 'show', {
    minimum: firstHeldOutGroceryEpisode,
    maximum: firstHeldOutGroceryEpisode + count - 1,
  });
  const backendName =
    optionChoice(command, parsed, 'backend', ['llamacpp', 'transformers'] as const) ?? 'llamacpp';
  const modelFolder = optionText(parsed, 'model') ?? bundledDemoModel();
  if (modelFolder === undefined) {
    throw new UsageError(
      command,
      'the bundled model folder models/sirllm-grocery-demo is missing; pass --model <folder>',
    );
  }
  const data = locateDemoData(optionText(parsed, 'data'));
  if (data === undefined) {
    throw new UsageError(
      command,
      'cannot find the demo data: models/sirllm-grocery-demo/data/grocery/keys.jsonl is missing from this copy of the repository. Pass --data <folder> or set SIRLLM_DATA to a SirLLM data folder (data/ of github.com/Zoeyyao27/SirLLM).',
    );
  }
  const episodes = heldOutEpisodesIn(command, data, count);
  const backend = await loadBackend(
    command,
    backendName,
    backendName === 'llamacpp' ? join(modelFolder, demoModelGguf) : modelFolder,
    {
      threads: optionInteger(command, parsed, 'threads', { minimum: 1, maximum: 256 }) ?? 1,
      // A float32 cache, like the ONNX model's: both backends then compute the same numbers.
      ...(backendName === 'llamacpp' ? { keyValueCacheType: 'f32' as const } : {}),
    },
  );
  const controller = new AbortController();
  const stop = io.onInterrupt(() => controller.abort());
  try {
    io.out(
      [
        '# sirllm demo: SirLLM remembers what StreamingLLM forgets',
        '',
        `Model: ${backend.info.name} on ${backendName === 'llamacpp' ? 'llama.cpp' : 'transformers.js'} (the bundled model: 3.9 M parameters trained here, see models/sirllm-grocery-demo/README.md).`,
        `Task: held-out Grocery Shopping episode${count === 1 ? ` ${firstHeldOutGroceryEpisode}` : `s ${firstHeldOutGroceryEpisode}–${firstHeldOutGroceryEpisode + count - 1}`}, ~1,300 tokens each; recall has 4 options, chance 25 %.`,
        `Cache: ${capacity} tokens per session for each policy; 4 attention sinks; SirLLM η = 1 (the paper's Grocery setting).`,
        '',
      ].join('\n'),
    );
    const policies = demoPolicies().map(({ label, policy }) => ({ tally: tally(label), policy }));
    const progress = new DemoProgress(io.progressStream, count);
    const results: DemoEpisodeResult[][] = [[], []];
    progress.update(
      policies.map((entry) => entry.tally),
      true,
    );
    for (const episode of episodes) {
      for (const [index, entry] of policies.entries()) {
        const result = await runDemoEpisode(episode, {
          backend,
          policy: entry.policy,
          capacity,
          signal: controller.signal,
        });
        results[index]?.push(result);
        entry.tally.episodes += 1;
        entry.tally.recalled += result.recalled ? 1 : 0;
        entry.tally.commonsenseCorrect += result.commonsenseCorrect;
        entry.tally.commonsense += result.commonsense;
        progress.update(policies.map((each) => each.tally));
      }
    }
    io.out(resultTable(policies.map((entry) => entry.tally)));
    io.out(memoryViews(results, show, io.color));
    return 0;
  } catch (error) {
    if (controller.signal.aborted) {
      io.error('Stopped.');
      return 130;
    }
    throw error;
  } finally {
    stop();
    await backend.dispose();
  }
}

/** Episodes 350 … 350 + count − 1 of the data folder, picked by number (a full data set works too). */
function heldOutEpisodesIn(command: string, data: string, count: number): TaskEpisode[] {
  let episodes: TaskEpisode[];
  try {
    episodes = heldOutGroceryEpisodes(readFileSync(groceryKeysFile(data), 'utf8'), count);
  } catch (error) {
    throw new UsageError(command, error instanceof Error ? error.message : String(error));
  }
  if (episodes.length < count) {
    throw new UsageError(
      command,
      `${data} has no Grocery episode ${firstHeldOutGroceryEpisode + episodes.length}; the demo plays the held-out episodes ${firstHeldOutGroceryEpisode}–${firstHeldOutGroceryEpisode + heldOutGroceryEpisodeCount - 1}`,
    );
  }
  return episodes;
}

/** `keys.jsonl` of a SirLLM data folder (`grocery/keys.jsonl`) or of the Grocery folder itself. */
function groceryKeysFile(data: string): string {
  const file = [join(data, 'grocery', 'keys.jsonl'), join(data, 'keys.jsonl')].find((path) =>
    existsSync(path),
  );
  if (file === undefined) {
    throw new InvalidOptionError({
      option: 'data',
      value: data,
      expected: 'a folder holding grocery/ (or its files) for grocery, e.g. ../shared/datasets/sirllm',
    });
  }
  return file;
}

function tally(label: string): PolicyTally {
  return { label, episodes: 0, recalled: 0, commonsenseCorrect: 0, commonsense: 0 };
}

function resultTable(tallies: readonly PolicyTally[]): string {
  const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`;
  return [
    '',
    markdownTable(
      ['policy', 'grocery recall (ACC_g)', 'CommonsenseQA (ACC_c)'],
      tallies.map((entry) => [
        entry.label,
        `${percent(entry.recalled, entry.episodes)} (${entry.recalled}/${entry.episodes})`,
        percent(entry.commonsenseCorrect, entry.commonsense),
      ]),
    ),
    '',
    'Recall chance is 25 %. CommonsenseQA is near chance (20 %) for a model this small: the demo shows memory, not knowledge.',
  ].join('\n');
}

function memoryViews(
  results: readonly DemoEpisodeResult[][],
  show: number | undefined,
  color: boolean,
): string {
  const [sirLlmResults = [], streamingResults = []] = results;
  let index = sirLlmResults.findIndex((result, at) => result.recalled && !streamingResults[at]?.recalled);
  if (show !== undefined) index = show - firstHeldOutGroceryEpisode;
  if (index < 0) index = 0;
  const views = [sirLlmResults[index], streamingResults[index]].filter(
    (result): result is DemoEpisodeResult => result !== undefined,
  );
  const lines = ['', `## What each policy kept of ${views[0]?.episode ?? 'the episode'} at the end`, ''];
  for (const result of views) {
    const item = result.itemPositions.map((position) => result.view.tokens[position]);
    const itemText = item.map((token) => token?.text ?? '').join('');
    const kept = item.every((token) => token?.resident);
    const nats = item[0]?.surprisal;
    lines.push(
      `${result.view.policy}: the grocery "${itemText.trim()}" (${nats === undefined || Number.isNaN(nats) ? '?' : nats.toFixed(1)} nats) was ${kept ? 'kept' : 'evicted'}; recall ${result.recalled ? 'right' : 'wrong'}.`,
      '',
      renderTerminal(result.view, { color }),
    );
  }
  return lines.join('\n');
}

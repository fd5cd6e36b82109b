import { parseArguments } from '../arguments/parse-arguments.js';
import { UsageError } from '../arguments/usage-error.js';
import type { CommandIo } from './command-io.js';

export const benchUsage = `Usage: sirllm bench [policies|engine|chat] [--quick]

  policies   time of one eviction decision for ledgers of 1k–128k tokens
  engine     engine overhead per turn, relative to the reference backend's own compute
  chat       LangChain turn latency at turns 10, 100, 1000: incremental vs re-prefilling the history
Without a name, runs all three.

Options:
  --quick    a quick run (about a minute for all three on 2 cores): fewer repeats, turns and checkpoints,
             the same tables and ratios, each marked "quick"; the full run gives the published figures`;

export type BenchmarkName = 'policies' | 'engine' | 'chat';

export const benchmarkNames: readonly BenchmarkName[] = ['policies', 'engine', 'chat'];

/** What `sirllm bench` runs: the benchmarks in order, and whether quickly. */
export interface BenchArguments {
  readonly benchmarks: readonly BenchmarkName[];
  readonly quick: boolean;
  readonly help: boolean;
}

/** Parses `sirllm bench [policies|engine|chat] [--quick]`; `UsageError` on anything else. */
export function parseBenchArguments(argumentsList: readonly string[]): BenchArguments {
  const parsed = parseArguments('sirllm bench', argumentsList, { quick: {} });
  const [name, extra] = parsed.positionals;
  const help = parsed.options.has('help');
  if (extra !== undefined) throw new UsageError('sirllm bench', `unexpected argument "${extra}"`);
  if (name !== undefined && !(benchmarkNames as readonly string[]).includes(name)) {
    throw new UsageError('sirllm bench', `unknown benchmark "${name}" (expected policies, engine or chat)`);
  }
  return {
    benchmarks: name === undefined ? benchmarkNames : [name as BenchmarkName],
    quick: parsed.options.has('quick'),
    help,
  };
}

/** `sirllm bench`: prints each benchmark's markdown as soon as it is measured. */
export async function runBenchCommand(argumentsList: readonly string[], io: CommandIo): Promise<number> {
  const { benchmarks, quick, help } = parseBenchArguments(argumentsList);
  if (help) {
    io.out(benchUsage);
    return 0;
  }
  for (const benchmark of benchmarks) {
    switch (benchmark) {
      case 'policies': {
        const { benchmarkPolicies } = await import('./bench-policies.js');
        io.out(benchmarkPolicies({ quick }));
        break;
      }
      case 'engine': {
        const { benchmarkEngine } = await import('./bench-engine.js');
        io.out(await benchmarkEngine({ quick }));
        break;
      }
      case 'chat': {
        const { benchmarkChat, benchmarkChatOnLlamaCpp } = await import('./bench-chat.js');
        io.out(await benchmarkChat({ quick }));
        io.out(await benchmarkChatOnLlamaCpp({ quick }));
        break;
      }
    }
  }
  return 0;
}

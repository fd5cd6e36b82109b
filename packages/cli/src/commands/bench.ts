import { parseArguments } from '../arguments/parse-arguments.js';
import { UsageError } from '../arguments/usage-error.js';
import { parseRealBenchArguments, type RealBenchArguments, realBenchUsage } from './bench-real-arguments.js';
import type { CommandIo } from './command-io.js';

export const benchUsage = `Usage: sirllm bench [policies|engine|chat] [--quick]
       sirllm bench real [--quick] [real options]   (also: sirllm bench --real; pnpm bench --real)

  policies   time of one eviction decision for ledgers of 1k–128k tokens
  engine     engine overhead per turn, relative to the reference backend's own compute
  chat       LangChain turn latency at turns 10, 100, 1000: incremental vs re-prefilling the history
  real       llama.cpp and transformers.js at the Qwen2.5-0.5B and Llama-3.2-1B shapes (random weights,
             generated once into .cache/real-shapes/): prefill, turns, retain, snapshots, memory; not in CI
Without a name, runs the first three.

Options:
  --quick    a quick run (about a minute for all three on 2 cores): fewer repeats, turns and checkpoints,
             the same tables and ratios, each marked "quick"; the full run gives the published figures
${realBenchUsage}`;

export type BenchmarkName = 'policies' | 'engine' | 'chat' | 'real';

/** The benchmarks `sirllm bench` runs without a name (`real` only when named: it takes minutes). */
export const benchmarkNames: readonly BenchmarkName[] = ['policies', 'engine', 'chat'];

const allBenchmarkNames: readonly BenchmarkName[] = [...benchmarkNames, 'real'];

/** What `sirllm bench` runs: the benchmarks in order, and whether quickly. */
export interface BenchArguments {
  readonly benchmarks: readonly BenchmarkName[];
  readonly quick: boolean;
  readonly help: boolean;
  /** The real-shape benchmark's options, when it runs. */
  readonly real?: RealBenchArguments;
}

/**
 * Parses `sirllm bench [policies|engine|chat|real] [--quick]` (`--real` = `real`, with the real
 * benchmark's options); `UsageError` on anything else.
 */
export function parseBenchArguments(argumentsList: readonly string[]): BenchArguments {
  const parsed = parseArguments('sirllm bench', argumentsList, {
    quick: {},
    real: {},
    threads: { value: true },
    shape: { value: true },
    type: { value: true },
    'kv-cache-type': { value: true },
    'no-transformers': {},
    profile: {},
  });
  const [given, extra] = parsed.positionals;
  const help = parsed.options.has('help');
  if (extra !== undefined) throw new UsageError('sirllm bench', `unexpected argument "${extra}"`);
  if (given !== undefined && !(allBenchmarkNames as readonly string[]).includes(given)) {
    throw new UsageError(
      'sirllm bench',
      `unknown benchmark "${given}" (expected policies, engine, chat or real)`,
    );
  }
  if (parsed.options.has('real') && given !== undefined && given !== 'real') {
    throw new UsageError('sirllm bench', `--real runs the real-shape benchmark alone, not "${given}"`);
  }
  const name = parsed.options.has('real') ? 'real' : given;
  const quick = parsed.options.has('quick');
  const real = parseRealBenchArguments(parsed, name === 'real');
  return {
    benchmarks: name === undefined ? benchmarkNames : [name as BenchmarkName],
    quick,
    help,
    ...(real === undefined ? {} : { real }),
  };
}

/** `sirllm bench`: prints each benchmark's markdown as soon as it is measured. */
export async function runBenchCommand(argumentsList: readonly string[], io: CommandIo): Promise<number> {
  const { benchmarks, quick, help, real } = parseBenchArguments(argumentsList);
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
      case 'real': {
        const { benchmarkRealShapes } = await import('./bench-real.js');
        await benchmarkRealShapes({ quick, ...(real as RealBenchArguments) }, io.out, io.error);
        break;
      }
    }
  }
  return 0;
}

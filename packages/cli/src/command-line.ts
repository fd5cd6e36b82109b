import { UsageError } from './arguments/usage-error.js';
import { type CommandIo, processIo } from './commands/command-io.js';

const usage = `Usage: sirllm <command> [options]   (sirllm <command> --help for its options)

Commands:
  eval <task>       the SirLLM paper's tasks (dailydialog, grocery, rock-paper-scissors) for every policy
  chat              an interactive chat with live memory statistics
  inspect           a conversation with every token coloured by whether it is still in memory (terminal, HTML)
  check <model>     does a model work with SirLLM? family, position shift, chat template, a 3-turn smoke test
  demo              held-out Grocery episodes on the bundled model: SirLLM remembers what StreamingLLM forgets
  bench policies    time of one eviction decision for ledgers of 1k–128k tokens
  bench engine      engine overhead per turn, relative to the reference backend's own compute
  bench chat        LangChain turn latency at turns 10, 100, 1000: incremental vs re-prefilling the history
  bench [--quick]   all three benchmarks (--quick: a shorter run, marked as such)
  bench real        llama.cpp and transformers.js at real model shapes (not in CI; also pnpm bench --real)
  help              this text`;

/**
 * Runs one command; returns the process exit code: 0 success, 1 failure, 2 bad arguments (with a
 * message saying what to change), 130 stopped by Ctrl-C (finished results kept).
 */
export async function runCommandLine(
  argumentsList: readonly string[],
  io: CommandIo = processIo(),
): Promise<number> {
  const [command, ...rest] = argumentsList;
  try {
    return await dispatch(command, rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.error(`${error.command}: ${error.message}\nRun "${error.command} --help" for the options.`);
      return 2;
    }
    throw error;
  }
}

async function dispatch(command: string | undefined, rest: string[], io: CommandIo): Promise<number> {
  switch (command) {
    case 'eval': {
      const { runEvalCommand } = await import('./commands/eval.js');
      return runEvalCommand(rest, io);
    }
    case 'inspect': {
      const { runInspectCommand } = await import('./commands/inspect.js');
      return runInspectCommand(rest, io);
    }
    case 'chat': {
      const { runChatCommand } = await import('./commands/chat.js');
      return runChatCommand(rest, io);
    }
    case 'check': {
      const { runCheckCommand } = await import('./commands/check.js');
      return runCheckCommand(rest, io);
    }
    case 'demo': {
      const { runDemoCommand } = await import('./commands/demo.js');
      return runDemoCommand(rest, io);
    }
    case 'bench': {
      const { runBenchCommand } = await import('./commands/bench.js');
      return runBenchCommand(rest, io);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(usage);
      return 0;
    default:
      io.error(`sirllm: unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}

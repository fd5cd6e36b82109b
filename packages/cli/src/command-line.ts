import { benchmarkPolicies } from './commands/bench-policies.js';

const usage = `Usage: sirllm <command>

Commands:
  demo              a streamed conversation over a bounded cache: what SirLLM keeps, and what StreamingLLM keeps
  bench policies    time of one eviction decision for ledgers of 1k–128k tokens
  bench engine      engine overhead per turn, relative to the reference backend's own compute
  bench chat        LangChain turn latency at turns 10, 100, 1000: incremental vs re-prefilling the history
  help              this text`;

/** Runs one command; returns the process exit code. */
export async function runCommandLine(argumentsList: readonly string[]): Promise<number> {
  const [command, subcommand] = argumentsList;
  switch (command) {
    case 'demo': {
      const { runDemo } = await import('./commands/demo.js');
      console.log(await runDemo());
      return 0;
    }
    case 'bench':
      if (subcommand === 'policies' || subcommand === undefined) console.log(benchmarkPolicies());
      if (subcommand === 'engine' || subcommand === undefined) {
        const { benchmarkEngine } = await import('./commands/bench-engine.js');
        console.log(await benchmarkEngine());
      }
      if (subcommand === 'chat' || subcommand === undefined) {
        const { benchmarkChat } = await import('./commands/bench-chat.js');
        console.log(await benchmarkChat());
      }
      if (subcommand !== undefined && !['policies', 'engine', 'chat'].includes(subcommand)) {
        console.error(`sirllm bench: unknown benchmark "${subcommand}" (expected policies, engine or chat)`);
        return 2;
      }
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(usage);
      return 0;
    default:
      console.error(`sirllm: unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}

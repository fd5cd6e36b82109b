import { createReferenceBackend } from '@sirllm/testkit';
import { benchmarkChatTurns } from './chat-turn-benchmark.js';
import { llamaCppBenchName, withLlamaCppBackends } from './llama-cpp-bench-backend.js';

/** Runs the chat-turn benchmark on the reference backend, then on llama.cpp, printing each table. */
export async function runChatTurnBenchmarks({ quick }: { quick: boolean }): Promise<void> {
  // The SDK's warnings (none are expected) would interleave with the tables.
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  console.log(
    await benchmarkChatTurns({
      quick,
      name: 'reference backend (2 layers × 64)',
      makeBackend: () => createReferenceBackend({ model: { layers: 2, hiddenSize: 64, seed: 5 } }),
    }),
  );
  console.log('');
  console.log(
    await withLlamaCppBackends((makeBackend) =>
      benchmarkChatTurns({ quick, name: llamaCppBenchName, makeBackend }),
    ),
  );
}

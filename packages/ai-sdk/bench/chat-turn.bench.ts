// Benchmark of @sirllm/ai-sdk: the latency of one chat turn through the AI SDK's `streamText` in a long
// chat, on a SirLLM session vs stateless (the whole history re-sent), on the reference backend and on
// llama.cpp. Build and run: `pnpm --filter @sirllm/ai-sdk bench` (add `-- --quick` for turns 10 and 100
// only). It bundles this file with esbuild into bench/dist/ and runs it with node (Node ≥ 22, as `ai` 7
// requires). Prints figures and ratios from one run.

export {}; // a module: it awaits at its top level

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.log(
    `The @sirllm/ai-sdk benchmark needs Node >= 22 (as ai 7 does); this is Node ${process.versions.node}.`,
  );
} else {
  // Loaded only now, so that Node < 22 never loads the SDK.
  const { runChatTurnBenchmarks } = await import('./run-chat-turn-benchmarks.js');
  await runChatTurnBenchmarks({ quick: process.argv.includes('--quick') });
}

// Where prefill-with-surprisal time goes on llama.cpp: the same tokens through node-llama-cpp's
// controlledEvaluate with each kind of per-position output the SirLLM backend could ask for.
//   node packages/llamacpp-adapter/bench/scoring-row-cost.mjs <model.gguf> [--tokens N] [--threads N]
// Use a real-shape model, e.g. .cache/real-shapes/qwen2.5-0.5b-f16-v1.gguf from `pnpm bench --real`.
import { performance } from 'node:perf_hooks';
import { createRandom } from '@sirllm/core';
import { getLlama } from 'node-llama-cpp';

const [path] = process.argv
  .slice(2)
  .filter((argument) => !argument.startsWith('--') && !/^\d+$/.test(argument));
if (!path) throw new Error('usage: scoring-row-cost.mjs <model.gguf> [--tokens N] [--threads N]');
const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const tokensCount = option('tokens', 256);
const threads = option('threads', 2);
const llama = await getLlama({ build: 'never', gpu: false, maxThreads: threads, logLevel: 'error' });
const model = await llama.loadModel({ modelPath: path });
const vocabulary = model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? 32000;
const random = createRandom(3);
const tokens = Array.from({ length: tokensCount }, () =>
  random.nextInteger(Math.max(1000, vocabulary - 1000)),
);

/** Per-position output requests, from none (plain prefill) to what the SirLLM backend asks for. */
const variants = {
  'plain (logits of the last position only)': () => undefined,
  'greedy token at every position': () => ({ generateNext: { token: true } }),
  'one filtered logit at every position': (i) => ({
    generateNext: { logits: { filter: { tokens: [tokens[i + 1] ?? 0] } } },
  }),
  'total logit weight at every position': () => ({ generateNext: { totalLogitWeight: true } }),
  'SirLLM: filtered logit + selected + total weight': (i) => ({
    generateNext: {
      logits: { filter: { tokens: [tokens[i + 1] ?? 0], includeSelected: true } },
      totalLogitWeight: true,
    },
  }),
};

console.log(`# Scoring cost per position: ${path}, ${tokensCount} tokens, ${threads} threads`);
for (const batchSize of [512, 128]) {
  const context = await model.createContext({
    contextSize: tokensCount + 64,
    threads,
    batchSize,
    flashAttention: false,
  });
  const sequence = context.getSequence();
  const rows = [];
  for (let round = 0; round < 2; round++) {
    for (const [name, request] of Object.entries(variants)) {
      await sequence.clearHistory();
      const items = tokens.map((token, index) => {
        const options = request(index);
        return options ? [token, options] : token;
      });
      items[items.length - 1] = [tokens.at(-1), { generateNext: { token: true } }];
      const start = performance.now();
      await sequence.controlledEvaluate(items);
      if (round === 1) rows.push([name, (performance.now() - start) / tokensCount]);
    }
  }
  const plain = rows[0][1];
  console.log(
    `\n## batch size ${batchSize}\n\n| per-position output | ms/token | × plain |\n| --- | --- | --- |`,
  );
  for (const [name, perToken] of rows)
    console.log(`| ${name} | ${perToken.toFixed(2)} | ${(perToken / plain).toFixed(2)}× |`);
  await context.dispose();
}
await model.dispose();

// Benchmarks of @sirllm/llamacpp. Run after `pnpm run build`:
//   node packages/llamacpp-adapter/bench/bench.mjs [--quick] [--threads N]
// Prints figures and ratios measured in the same run, on tiny and small generated GGUF models (CPU).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRandom, MemorySession, sirllm } from '@sirllm/core';
import { createTinyLlama, tinyLlamaToGguf } from '@sirllm/testkit';
import { getLlama, getModuleVersion } from 'node-llama-cpp';
import { createLlamaCppBackend } from '../dist/index.js';

const quick = process.argv.includes('--quick');
const threadsFlag = process.argv.indexOf('--threads');
const threads = threadsFlag > 0 ? Number(process.argv[threadsFlag + 1]) : availableParallelism();
const folder = mkdtempSync(join(tmpdir(), 'sirllm-bench-'));
const llama = await getLlama({ build: 'never', gpu: false, maxThreads: threads, logLevel: 'error' });
const contextOptions = { threads, flashAttention: false };

function writeModel(name, options) {
  const path = join(folder, `${name}.gguf`);
  writeFileSync(path, tinyLlamaToGguf(createTinyLlama(options)));
  return path;
}

function randomTokens(seed, count, vocabulary) {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => random.nextInteger(vocabulary));
}

async function time(action) {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

/** Median of `runs` timings of `action` (after one warm-up run). */
async function median(runs, action) {
  await action();
  const timings = [];
  for (let run = 0; run < runs; run++) timings.push(await time(action));
  timings.sort((a, b) => a - b);
  return timings[Math.floor(timings.length / 2)];
}

const fixed = (value, digits = 2) => value.toFixed(digits);

/** Share of per-token multiply-adds in the output layer (plain prefill skips it for all but the last token). */
function outputShare(
  { layers, hiddenSize, intermediateSize, attentionHeads, keyValueHeads },
  vocabularySize,
) {
  const head = hiddenSize / attentionHeads;
  const attention = 2 * hiddenSize * hiddenSize + 2 * hiddenSize * keyValueHeads * head;
  const body = layers * (attention + 3 * hiddenSize * intermediateSize);
  const output = vocabularySize * hiddenSize;
  return output / (body + output);
}

console.log(`# @sirllm/llamacpp benchmarks`);
console.log(
  `CPU: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, threads ${threads}, node ${process.version}, node-llama-cpp ${await getModuleVersion()}`,
);
console.log(
  'Models are generated (random weights, F32 GGUF); KV cache F16 (llama.cpp default), flash attention off.\n',
);

// 1. Prefill with per-token surprisal vs plain evaluation of the same tokens.
console.log('## 1. Prefill: per-token surprisal (append) vs plain evaluate of the same tokens');
console.log(
  '| model | vocabulary | output layer share of FLOPs | tokens | plain evaluate ms | append with surprisal ms | ratio | extra ms/token |',
);
console.log('|---|---|---|---|---|---|---|---|');
const shapes = [
  {
    label: 'tiny (1 layer, width 64)',
    layers: 1,
    hiddenSize: 64,
    intermediateSize: 128,
    attentionHeads: 4,
    keyValueHeads: 2,
  },
  {
    label: 'small (4 layers, width 512)',
    layers: 4,
    hiddenSize: 512,
    intermediateSize: 1408,
    attentionHeads: 8,
    keyValueHeads: 2,
  },
];
for (const shape of shapes) {
  for (const vocabularySize of [32000, 151936]) {
    const tokens = quick ? 128 : 512;
    const path = writeModel(`prefill-${shape.layers}-${vocabularySize}`, {
      seed: 1,
      ...shape,
      vocabularySize,
    });
    const backend = await createLlamaCppBackend({ modelPath: path, llama, threads, contextSize: tokens + 8 });
    const input = randomTokens(2, tokens, vocabularySize);
    const plainContext = await backend.model.createContext({ ...contextOptions, contextSize: tokens + 8 });
    const plain = plainContext.getSequence();
    const plainMs = await median(3, async () => {
      await plain.clearHistory();
      await plain.evaluateWithoutGeneratingNewTokens(input);
    });
    const sequence = await backend.createSequence({ capacity: tokens });
    const appendMs = await median(3, async () => {
      await sequence.retain(new Uint32Array(0));
      await sequence.append(input);
    });
    console.log(
      `| ${shape.label} | ${vocabularySize} | ${fixed(100 * outputShare(shape, vocabularySize), 0)}% | ${tokens} | ${fixed(plainMs)} | ${fixed(appendMs)} | ${fixed(appendMs / plainMs)}× | ${fixed((appendMs - plainMs) / tokens, 3)} |`,
    );
    await plainContext.dispose();
    await backend.dispose();
  }
}

// 2. Per-turn latency at 4k tokens of history: incremental SirLLM turn vs re-prefilling the truncated history.
console.log('\n## 2. Per-turn latency with 4096 tokens of history (turn: 64 new tokens + 16 generated)');
console.log('| model | SirLLM incremental turn ms | re-prefill truncated history ms | speed-up |');
console.log('|---|---|---|---|');
for (const shape of shapes) {
  const capacity = 4096;
  const vocabularySize = 32000;
  const path = writeModel(`turn-${shape.layers}`, { seed: 3, ...shape, vocabularySize });
  const backend = await createLlamaCppBackend({ modelPath: path, llama, threads, contextSize: capacity });
  const session = await MemorySession.create({
    backend,
    capacity,
    policy: sirllm({ sinks: 4, decay: 0.9 }),
    chunkSize: 512,
  });
  const history = randomTokens(4, capacity, vocabularySize);
  await session.beginTurn({ incoming: history.length });
  await session.ingest(history);
  const turns = quick ? 2 : 5;
  let turnSeed = 10;
  const incrementalMs = await median(turns, async () => {
    const input = randomTokens(turnSeed++, 64, vocabularySize);
    await session.beginTurn({ incoming: input.length });
    await session.ingest(input);
    await session.generate({ maxTokens: 16, sampling: { temperature: 0 }, stopTokens: [] });
  });
  const recomputeContext = await backend.model.createContext({
    ...contextOptions,
    contextSize: capacity + 8,
  });
  const recompute = recomputeContext.getSequence();
  const window = randomTokens(5, capacity - 80 + 64, vocabularySize);
  const recomputeMs = await median(turns, async () => {
    await recompute.clearHistory();
    let generated = 0;
    for await (const _token of recompute.evaluate(window, { temperature: 0 })) {
      if (++generated >= 16) break;
    }
  });
  console.log(
    `| ${shape.label} | ${fixed(incrementalMs)} | ${fixed(recomputeMs)} | ${fixed(recomputeMs / incrementalMs, 1)}× |`,
  );
  await session.dispose();
  await recomputeContext.dispose();
  await backend.dispose();
}

// 3. retain cost against the number of erased ranges and the cache size.
console.log('\n## 3. retain(): erase ranges in place (+ the next one-token decode that re-rotates keys)');
console.log('| model | cache tokens | ranges | kept | retain ms | next decode ms | rebuild instead ms |');
console.log('|---|---|---|---|---|---|---|');
for (const shape of shapes) {
  const path = writeModel(`retain-${shape.layers}`, { seed: 6, ...shape, vocabularySize: 32000 });
  for (const size of quick ? [1024] : [1024, 4096]) {
    const backend = await createLlamaCppBackend({ modelPath: path, llama, threads, contextSize: size });
    const rebuilder = await createLlamaCppBackend({
      modelPath: path,
      llama,
      threads,
      contextSize: size,
      evictionMode: 'rebuild',
    });
    const tokens = randomTokens(7, size - 1, 32000);
    let warmedUp = false;
    for (const ranges of [1, 10, 100, Math.min(1000, size / 4)]) {
      // `ranges` gaps of equal size, evicting a quarter of the cache, index 0 kept.
      const dropped = Math.floor(size / 4);
      const width = Math.max(1, Math.floor(dropped / ranges));
      const stride = Math.floor((size - 1) / ranges);
      const drop = new Set();
      for (let range = 0; range < ranges; range++)
        for (let i = 0; i < width; i++) drop.add(1 + range * stride + i);
      const keep = Uint32Array.from({ length: size }, (_, i) => i).filter((i) => !drop.has(i));
      const measureOnce = async (on) => {
        const sequence = await on.createSequence({ capacity: size });
        await sequence.append(tokens);
        await sequence.append([2], { argmax: true }); // settle the one-token decode graph
        const retainMs = await time(() => sequence.retain(keep));
        const decodeMs = await time(() => sequence.append([1]));
        await sequence.dispose();
        return { retainMs, decodeMs };
      };
      const measure = async (on) => {
        const runs = [];
        for (let run = 0; run < 3; run++) runs.push(await measureOnce(on));
        const middle = (key) => runs.map((run) => run[key]).sort((a, b) => a - b)[1];
        return { retainMs: middle('retainMs'), decodeMs: middle('decodeMs') };
      };
      if (!warmedUp) {
        await measureOnce(backend);
        await measureOnce(rebuilder);
        warmedUp = true;
      }
      const shift = await measure(backend);
      const rebuild = await measure(rebuilder);
      console.log(
        `| ${shape.label} | ${size} | ${ranges} | ${keep.length} | ${fixed(shift.retainMs)} | ${fixed(shift.decodeMs)} | ${fixed(rebuild.retainMs + rebuild.decodeMs)} |`,
      );
    }
    await backend.dispose();
    await rebuilder.dispose();
  }
}

await llama.dispose();
rmSync(folder, { recursive: true, force: true });

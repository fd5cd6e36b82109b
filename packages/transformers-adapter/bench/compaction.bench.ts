// Benchmarks of the transformers.js adapter. Build and run: `pnpm --filter @sirllm/transformers bench`
// (bundles this file with esbuild, then runs it with node). Prints figures and ratios from one run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AutoModelForCausalLM, cat, env, Tensor } from '@huggingface/transformers';
import { createRandom } from '@sirllm/core';
import { createTinyLlama, transformersModelFiles } from '@sirllm/testkit';
import { allocateCacheArray, type CacheType } from '../src/cache-array.js';
import { floatToHalf } from '../src/float16.js';
import { createTransformersBackend } from '../src/index.js';
import { KeyValueStore } from '../src/key-value-store.js';
import { LayerRotators } from '../src/layer-rotators.js';
import { rowSurprisal } from '../src/row-surprisal.js';

const minimum = (values: number[]) => Math.min(...values);
const time = async (repeat: number, work: () => unknown) => {
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return minimum(samples);
};
const format = (ms: number) => `${ms.toFixed(2)} ms`;

// 1. Compaction of a Qwen2.5-0.5B-shaped cache: 24 layers × 2 KV heads × 2048 tokens × 64 dims.
const geometryOf = (type: CacheType) => ({ layers: 24, keyValueHeads: 2, headDimension: 64, type });
const rows = 2048;
const evict = 256;
const rope = { theta: 1_000_000, headDimension: 64 };
const random = createRandom(3);
const evicted = new Set<number>();
while (evicted.size < evict) evicted.add(1 + Math.floor(random.next() * (rows - 1)));
const keep = Uint32Array.from({ length: rows }, (_, i) => i).filter((i) => !evicted.has(i));

console.log(
  `Compaction: 24 layers × 2 KV heads × ${rows} tokens × 64 dims, evicting ${evict} random positions (minimum of 9 runs: the machine is shared)`,
);
for (const type of ['float32', 'float16'] as const) {
  const geometry = geometryOf(type);
  const size = geometry.keyValueHeads * rows * geometry.headDimension;
  const fill = () => {
    const array = allocateCacheArray(type, size);
    for (let i = 0; i < size; i++)
      array[i] = type === 'float32' ? random.next() - 0.5 : floatToHalf(random.next() - 0.5);
    return array;
  };
  const keys = Array.from({ length: geometry.layers }, fill);
  const values = Array.from({ length: geometry.layers }, fill);
  const origins = Int32Array.from({ length: rows }, (_, i) => i);
  const withOriginals = new KeyValueStore(
    geometry,
    rows,
    keys,
    values,
    keys.map((k) => k.slice()),
    origins,
  );
  const inPlace = new KeyValueStore(geometry, rows, keys, values, undefined, origins);
  const rotator = new LayerRotators(Array.from({ length: geometry.layers }, () => rope));
  const cacheBytes = 2 * geometry.layers * size * (type === 'float32' ? 4 : 2);
  const copy = await time(9, () => {
    for (const list of [keys, values]) for (const array of list) allocateCacheArray(type, size).set(array);
  });
  const fromOriginals = await time(9, () => withOriginals.gather(keep, rotator));
  const incremental = await time(9, () => inPlace.gather(keep, rotator));
  const gatherOnly = await time(9, () => inPlace.gather(keep, undefined));
  const chosen = type === 'float32' ? incremental : fromOriginals;
  const naive = await time(3, () => naiveCompaction(type, keys, values, keep, geometry.keyValueHeads, rope));
  const ratio = (ms: number) => `${format(ms)} = ${(ms / copy).toFixed(2)}× copy`;
  console.log(`  ${type} (cache ${(cacheBytes / 2 ** 20).toFixed(1)} MiB):`);
  console.log(`    plain copy of the cache bytes (the floor)         ${format(copy)}`);
  console.log(`    gather only, no rotation                          ${ratio(gatherOnly)}`);
  console.log(
    `    gather + re-rotation in place                     ${ratio(incremental)}${type === 'float32' ? '   <- default for float32' : ''}`,
  );
  console.log(
    `    gather + re-rotation from original keys           ${ratio(fromOriginals)}${type === 'float16' ? '   <- default for float16' : ''}`,
  );
  console.log(
    `    naive Tensor.slice + cat + per-element rotation   ${format(naive)} = ${(naive / chosen).toFixed(1)}× the default`,
  );
}

/** The naive path: Tensor.slice per kept run, cat, then rotate element by element with fresh cos/sin. */
function naiveCompaction(
  type: CacheType,
  keys: (Float32Array | Uint16Array)[],
  values: (Float32Array | Uint16Array)[],
  kept: Uint32Array,
  heads: number,
  settings: { theta: number; headDimension: number },
) {
  const dims = [1, heads, rows, settings.headDimension];
  const runs: [number, number][] = [];
  for (let i = 0; i < kept.length; ) {
    let j = i;
    while (j + 1 < kept.length && kept[j + 1] === (kept[j] as number) + 1) j++;
    runs.push([kept[i] as number, (kept[j] as number) + 1]);
    i = j + 1;
  }
  const half = settings.headDimension / 2;
  for (let layer = 0; layer < keys.length; layer++) {
    for (const source of [keys[layer], values[layer]]) {
      const tensor = new Tensor(type, source, dims);
      const parts = runs.map(([start, end]) => tensor.slice(null, null, [start, end], null));
      const joined = cat(parts, 2);
      if (source !== keys[layer]) continue;
      const data = joined.data as Float32Array | Uint16Array;
      for (let h = 0; h < heads; h++) {
        for (let row = 0; row < kept.length; row++) {
          const delta = row - (kept[row] as number);
          if (delta === 0) continue;
          const base = (h * kept.length + row) * settings.headDimension;
          for (let i = 0; i < half; i++) {
            const angle = delta / settings.theta ** ((2 * i) / settings.headDimension);
            const x = data[base + i] as number;
            const y = data[base + i + half] as number;
            data[base + i] = x * Math.cos(angle) - y * Math.sin(angle);
            data[base + i + half] = y * Math.cos(angle) + x * Math.sin(angle);
          }
        }
      }
    }
  }
}

// 2. Surprisal scoring overhead: append (forward + surprisal of every position + cache bookkeeping)
// against the bare forward pass of the same chunk.
env.allowRemoteModels = false;
const model = createTinyLlama({
  layers: 4,
  hiddenSize: 256,
  attentionHeads: 8,
  keyValueHeads: 2,
  intermediateSize: 512,
  vocabularySize: 32000,
});
const root = mkdtempSync(join(tmpdir(), 'sirllm-bench-'));
try {
  const folder = join(root, 'model');
  for (const [file, content] of transformersModelFiles(model)) {
    mkdirSync(dirname(join(folder, file)), { recursive: true });
    writeFileSync(join(folder, file), content);
  }
  const backend = await createTransformersBackend({ model: folder, threads: 1, chunkSize: 64 });
  const tokens = Array.from({ length: 64 }, () => Math.floor(random.next() * 32000));
  const prefix = Array.from({ length: 256 }, () => Math.floor(random.next() * 32000));
  console.log(
    '\nScoring: a 64-token chunk after 256 resident tokens; model 4 layers × 256 wide, vocabulary 32000 (minimum of 9 runs)',
  );
  const sequence = await backend.createSequence({ capacity: 512 });
  await sequence.append(prefix);
  const snapshot = await sequence.snapshot();
  // The bare forward: transformers.js model call with the same past, no scoring, no bookkeeping.
  env.localModelPath = `${root}/`;
  const causal = await AutoModelForCausalLM.from_pretrained('model', {
    dtype: 'fp32',
    device: 'cpu',
    session_options: { intraOpNumThreads: 1, interOpNumThreads: 1 },
  });
  const ids = (list: number[]) => new Tensor('int64', BigInt64Array.from(list, BigInt), [1, list.length]);
  const ones = (length: number) => new Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]);
  const positions = (from: number, count: number) =>
    new Tensor(
      'int64',
      BigInt64Array.from({ length: count }, (_, i) => BigInt(from + i)),
      [1, count],
    );
  const first = (await causal.forward({
    input_ids: ids(prefix),
    attention_mask: ones(prefix.length),
    position_ids: positions(0, prefix.length),
  })) as Record<string, unknown>;
  const past: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(first)) {
    if (name.startsWith('present')) past[name.replace('present', 'past_key_values')] = value;
  }
  const plain = await time(9, () =>
    causal.forward({
      input_ids: ids(tokens),
      attention_mask: ones(prefix.length + tokens.length),
      position_ids: positions(prefix.length, tokens.length),
      past_key_values: past,
    }),
  );
  const restored = [];
  for (let i = 0; i < 9; i++) restored.push(await backend.restoreSequence(snapshot, { capacity: 512 }));
  const scored = await time(9, () => (restored.pop() as typeof sequence).append(tokens));
  const logits = new Float32Array(64 * 32000).map(() => random.next() * 20 - 10);
  const scoring = await time(9, () => {
    for (let row = 0; row < 64; row++) rowSurprisal(logits.subarray(row * 32000, (row + 1) * 32000), row);
  });
  const qwenVocabulary = 151936;
  const qwenLogits = new Float32Array(16 * qwenVocabulary).map(() => random.next() * 20 - 10);
  const qwenScoring = await time(9, () => {
    for (let row = 0; row < 16; row++)
      rowSurprisal(qwenLogits.subarray(row * qwenVocabulary, (row + 1) * qwenVocabulary), row);
  });
  console.log(
    `  surprisal arithmetic at the Qwen2.5 vocabulary: ${((qwenScoring * 1e6) / (16 * qwenVocabulary)).toFixed(2)} ns per logit (16 rows × ${qwenVocabulary})`,
  );
  console.log(
    `  surprisal arithmetic alone: ${format(scoring)} for 64 × 32000 logits = ${((scoring * 1e6) / (64 * 32000)).toFixed(2)} ns per logit (scales with positions × vocabulary, not with model size)`,
  );
  console.log(
    `  plain forward ${format(plain)} | append (forward + surprisal of every position + cache bookkeeping) ${format(scored)} = ${((scored / plain - 1) * 100).toFixed(1)}% overhead`,
  );
  await causal.dispose();
  await backend.dispose();
} finally {
  rmSync(root, { recursive: true, force: true });
}

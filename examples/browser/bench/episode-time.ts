// Episode time of the demo in the page (Chromium, onnxruntime-web WASM, one thread, in a Web Worker) against
// Node on the same machine: onnxruntime-node (the default on Node) and onnxruntime-web's WASM build (the
// same engine as the page, in a child process: a process picks its ONNX runtime once).
//
//   pnpm --filter @sirllm/example-browser bench [episodes]        (default 10; the packages must be built)
import { execFileSync } from 'node:child_process';
import { launchChromium, playEpisodes } from '../test/demo-page.ts';
import { loadNodeBackend, playOnNode } from '../test/node-reference.ts';
import { servePage } from '../test/page-server.ts';

const episodes = Number(process.argv[2] ?? 10);
const capacity = 512;

interface Timed {
  readonly policy: string;
  readonly milliseconds: number;
}

if (process.env.SIRLLM_BENCH_CHILD === 'wasm') {
  // The child: Node with onnxruntime-web's WASM build, the same model and episodes.
  const { createTransformersBackend } = await import('@sirllm/transformers');
  const { demoModelFolder } = await import('../test/node-reference.ts');
  const started = performance.now();
  const backend = await createTransformersBackend({ model: demoModelFolder, runtime: 'wasm', threads: 1 });
  const load = performance.now() - started;
  const played = await playOnNode(backend, episodes, capacity);
  await backend.dispose();
  process.stdout.write(JSON.stringify({ load, played }));
  process.exit(0);
}

const summary = (label: string, load: number, played: readonly Timed[]) => {
  const rest = played.slice(2); // the first episode (both policies) includes warm-up
  const mean = (policy: string) => {
    const times = rest.filter((each) => each.policy === policy).map((each) => each.milliseconds);
    return times.reduce((sum, time) => sum + time, 0) / Math.max(1, times.length);
  };
  return {
    label,
    load,
    first: (played[0]?.milliseconds ?? 0) + (played[1]?.milliseconds ?? 0),
    sirllm: mean('SirLLM'),
    streaming: mean('StreamingLLM'),
  };
};

const nativeStarted = performance.now();
const backend = await loadNodeBackend();
const nativeLoad = performance.now() - nativeStarted;
const native = summary(
  'Node, onnxruntime-node (CPU)',
  nativeLoad,
  await playOnNode(backend, episodes, capacity),
);
await backend.dispose();

const child = JSON.parse(
  execFileSync(process.execPath, [...process.execArgv, process.argv[1] as string, String(episodes)], {
    env: { ...process.env, SIRLLM_BENCH_CHILD: 'wasm' },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  }),
) as { load: number; played: Timed[] };
const nodeWasm = summary('Node, onnxruntime-web WASM', child.load, child.played);

const server = await servePage();
const browser = await launchChromium();
let page: ReturnType<typeof summary>;
try {
  const state = await playEpisodes(await browser.newPage(), server.url, {
    episodes,
    capacity,
    timeout: 1_800_000,
  });
  if (state.errors.length > 0) throw new Error(state.errors.join('\n'));
  page = summary(
    'Chromium page, onnxruntime-web WASM (worker)',
    state.loaded?.milliseconds ?? 0,
    state.episodes,
  );
} finally {
  await browser.close();
  await server.close();
}

const rows = [native, nodeWasm, page];
const cell = (value: number) => `${Math.round(value).toLocaleString('en')} ms`;
console.log(
  `\nDemo episode time, ${episodes} held-out Grocery episodes (350–${349 + episodes}), ${capacity} cells, 1 thread`,
);
console.log('(mean over episodes 2…n; "first" = episode 350, both policies, with warm-up)\n');
console.log(
  '| where | model load | first episode | SirLLM episode | StreamingLLM episode | SirLLM vs Node CPU |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const row of rows) {
  console.log(
    `| ${row.label} | ${cell(row.load)} | ${cell(row.first)} | ${cell(row.sirllm)} | ${cell(row.streaming)} | ${(row.sirllm / native.sirllm).toFixed(2)}× |`,
  );
}

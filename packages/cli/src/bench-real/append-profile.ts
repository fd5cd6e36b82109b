import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import { markdownTable } from '../commands/measure.js';
import type { RealGgufType } from './model-cache.js';
import { type CpuProfileLike, topSelfTimes } from './profile-summary.js';
import type { RealShape } from './real-shapes.js';
import { benchTokens } from './timing.js';

/**
 * Writes a V8 CPU profile (`.cpuprofile`, open in Chrome DevTools or speedscope) of the llama.cpp append
 * path: `repeats` appends of `tokens` tokens with surprisal, each after emptying the sequence. The
 * profile samples JavaScript only: time spent inside llama.cpp shows as `(program)` or idle. Returns the
 * file's path and a table of the functions with the most self time.
 */
export async function profileAppend(
  {
    shape,
    type,
    modelPath,
    llama,
    threads,
    folder,
  }: {
    shape: RealShape;
    type: RealGgufType;
    modelPath: string;
    llama: Llama;
    threads: number;
    folder: string;
  },
  { tokens = 512, repeats = 3 } = {},
): Promise<{ path: string; summary: string }> {
  const { createLlamaCppBackend } = await import('@sirllm/llamacpp');
  const backend = await createLlamaCppBackend({ modelPath, llama, threads, contextSize: tokens });
  const input = benchTokens(2, tokens, shape.vocabularySize);
  const session = new Session();
  session.connect();
  try {
    const sequence = await backend.createSequence({ capacity: tokens });
    await sequence.append(input.slice(0, 16)); // load and warm up outside the profile
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    for (let repeat = 0; repeat < repeats; repeat++) {
      await sequence.retain(new Uint32Array(0));
      await sequence.append(input);
    }
    const { profile } = await session.post('Profiler.stop');
    await sequence.dispose();
    mkdirSync(folder, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const path = join(folder, `append-${shape.name}-${type}-${threads}t-${stamp}.cpuprofile`);
    writeFileSync(path, JSON.stringify(profile));
    const rows = topSelfTimes(profile as CpuProfileLike);
    return { path, summary: markdownTable(['function (self time)', 'time', 'share'], rows) };
  } finally {
    session.disconnect();
    await backend.dispose();
  }
}

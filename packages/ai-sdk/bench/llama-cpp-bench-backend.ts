import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KVBackend } from '@sirllm/core';

/** What the llama.cpp run of the benchmark is called in its heading. */
export const llamaCppBenchName = 'llama.cpp backend, CPU, 1 thread, testkit model 4 layers × 256 (GGUF F32)';

/**
 * Runs `work` with a factory of llama.cpp backends over a testkit model (4 layers × 256, seeded random
 * weights; that of `sirllm bench --chat`) written as GGUF to a temporary folder, removed afterwards:
 * nothing is downloaded. On the CPU with one thread: a model this small runs fastest on one, and more
 * threads than free cores spend their time in thread barriers.
 */
export async function withLlamaCppBackends<T>(
  work: (makeBackend: () => Promise<KVBackend>) => Promise<T>,
): Promise<T> {
  const { createTinyLlama, tinyLlamaToGguf } = await import('@sirllm/testkit');
  const { createLlamaCppBackend } = await import('@sirllm/llamacpp');
  const folder = await mkdtemp(join(tmpdir(), 'sirllm-ai-sdk-bench-'));
  try {
    const modelPath = join(folder, 'bench.gguf');
    const model = createTinyLlama({
      layers: 4,
      hiddenSize: 256,
      intermediateSize: 512,
      attentionHeads: 8,
      keyValueHeads: 4,
      seed: 5,
    });
    await writeFile(modelPath, tinyLlamaToGguf(model));
    return await work(() => createLlamaCppBackend({ modelPath, threads: 1, contextSize: 1024, gpu: false }));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

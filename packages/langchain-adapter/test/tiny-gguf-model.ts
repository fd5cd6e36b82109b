import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLlamaCppBackend } from '@sirllm/llamacpp';
import { createTinyLlama, type TinyLlamaModel, tinyLlamaToGguf } from '@sirllm/testkit';
import { getLlama, type Llama, LlamaLogLevel } from 'node-llama-cpp';

export type LlamaCppTestBackend = Awaited<ReturnType<typeof createLlamaCppBackend>>;

/** A testkit tiny Llama written as a GGUF file in a temporary folder, for the llama.cpp tests. */
export interface TinyGgufModel {
  readonly modelPath: string;
  /** A llama.cpp backend over the file: CPU, one thread, float32 KV cache (close to the reference). */
  open(contextSize: number): Promise<LlamaCppTestBackend>;
  /** Deletes the temporary folder. */
  remove(): void;
}

let llama: Promise<Llama> | undefined;

/** Writes `model` (default: 2 layers, seed 21, the reference-backend tests' weights) as GGUF. */
export function tinyGgufModel(
  model: TinyLlamaModel = createTinyLlama({ layers: 2, seed: 21 }),
): TinyGgufModel {
  const folder = mkdtempSync(join(tmpdir(), 'sirllm-langchain-gguf-'));
  const modelPath = join(folder, 'tiny.gguf');
  writeFileSync(modelPath, tinyLlamaToGguf(model));
  return {
    modelPath,
    async open(contextSize) {
      llama ??= getLlama({ build: 'never', gpu: false, maxThreads: 1, logLevel: LlamaLogLevel.error });
      return createLlamaCppBackend({
        modelPath,
        llama: await llama,
        threads: 1,
        contextSize,
        kvCacheType: 'f32',
      });
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTinyLlama,
  type TinyLlamaGgufOptions,
  type TinyLlamaModel,
  type TinyLlamaOptions,
  tinyLlamaToGguf,
} from '@sirllm/testkit';
import { getLlama, type Llama, LlamaLogLevel } from 'node-llama-cpp';
import { createLlamaCppBackend, type LlamaCppBackend } from '../../src/index.js';

/** Test threads: explicit and small, so tests do not oversubscribe CI machines. */
export const testThreads = 1;

const folder = mkdtempSync(join(tmpdir(), 'sirllm-gguf-test-'));
let count = 0;

/** Writes a tiny model as GGUF into a per-process temporary folder; returns the model and the path. */
export function writeTinyModel(
  options: TinyLlamaOptions,
  gguf: TinyLlamaGgufOptions = {},
): { model: TinyLlamaModel; path: string } {
  const model = createTinyLlama(options);
  const path = join(folder, `model-${++count}.gguf`);
  writeFileSync(path, tinyLlamaToGguf(model, gguf));
  return { model, path };
}

/** A file in the temporary folder with the given content. */
export function writeTemporaryFile(name: string, content: Uint8Array | string): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

/** The temporary folder (removed at process exit). */
export function temporaryFolder(): string {
  return folder;
}

let llama: Promise<Llama> | undefined;

/** One CPU-only Llama instance per test file: no compilation, no download, one thread. */
export function testLlama(): Promise<Llama> {
  llama ??= getLlama({ build: 'never', gpu: false, maxThreads: testThreads, logLevel: LlamaLogLevel.error });
  return llama;
}

/**
 * The backend most tests open: the model file at `path` on the shared test `Llama`, one thread, a float32
 * cache (llama.cpp then matches the float64 reference to ~1e-5), `contextSize` cells.
 */
export async function openTestBackend(path: string, contextSize: number): Promise<LlamaCppBackend> {
  return createLlamaCppBackend({
    modelPath: path,
    llama: await testLlama(),
    threads: testThreads,
    contextSize,
    kvCacheType: 'f32',
  });
}

process.on('exit', () => rmSync(folder, { recursive: true, force: true }));

/** The error `action` rejects (or throws) with; throws when it succeeds. */
export async function rejection(action: () => Promise<unknown>): Promise<Error> {
  try {
    await action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

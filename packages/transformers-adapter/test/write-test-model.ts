import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  type TinyLlamaModel,
  type TransformersModelFilesOptions,
  transformersModelFiles,
} from '@sirllm/testkit';

/** Turns off hub downloads in transformers.js (imported lazily, so a WASM test can pick its runtime first). */
export async function stayOffline(): Promise<void> {
  const { env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
}

/** Writes a testkit model folder into a fresh temporary directory; `remove()` deletes it. */
export function writeTestModel(
  model: TinyLlamaModel,
  options: TransformersModelFilesOptions = {},
): { path: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'sirllm-transformers-'));
  const path = join(root, 'model');
  for (const [file, content] of transformersModelFiles(model, options)) {
    mkdirSync(dirname(join(path, file)), { recursive: true });
    writeFileSync(join(path, file), content);
  }
  return { path, remove: () => rmSync(root, { recursive: true, force: true }) };
}

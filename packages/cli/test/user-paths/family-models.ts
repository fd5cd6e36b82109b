import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTinyLlama, type ModelFamily, tinyLlamaToGguf, transformersModelFiles } from '@sirllm/testkit';

/** A family's testkit model written the way a user downloads one: a GGUF file and an ONNX folder. */
export interface FamilyModelFiles {
  readonly gguf: string;
  readonly onnxFolder: string;
  /** Deletes the files. */
  remove(): void;
}

/**
 * Writes `createTinyLlama({ family })` — the model `sirllm check tiny:family=<family>` runs — as a GGUF
 * file and as a transformers.js folder, each with the family's tokenizer and chat template.
 */
export function writeFamilyModel(family: ModelFamily): FamilyModelFiles {
  const folder = mkdtempSync(join(tmpdir(), `sirllm-family-${family}-`));
  const model = createTinyLlama({ family });
  const gguf = join(folder, `tiny-${family}.gguf`);
  writeFileSync(gguf, tinyLlamaToGguf(model));
  const onnxFolder = join(folder, `tiny-${family}-onnx`);
  for (const [file, content] of transformersModelFiles(model)) {
    mkdirSync(dirname(join(onnxFolder, file)), { recursive: true });
    writeFileSync(join(onnxFolder, file), content);
  }
  return { gguf, onnxFolder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

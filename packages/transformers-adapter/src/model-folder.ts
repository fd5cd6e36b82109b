import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fnv1a32, InvalidOptionError } from '@sirllm/core';
import type { TransformersDtype } from './transformers-backend-options.js';

/** The ONNX file transformers.js loads for each dtype (inside `onnx/`). */
export const onnxFileOfDtype: Readonly<Record<TransformersDtype, string>> = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q8: 'model_quantized.onnx',
  q4: 'model_q4.onnx',
};

/** A checked local model folder. */
export interface ModelFolder {
  readonly path: string;
  readonly config: Record<string, unknown>;
  /** A hash of config.json, the tokenizer files and the ONNX file's size, head and tail. */
  readonly fingerprint: string;
}

/** True when `model` names a local folder rather than a hub id. */
export function isLocalModel(model: string): boolean {
  return isAbsolute(model) || model.startsWith('.') || model.includes('\\') || existsSync(model);
}

/**
 * Checks a local folder before anything is loaded: it must exist and hold `config.json` and
 * `onnx/<file for dtype>`. Throws `InvalidOptionError` naming the missing file.
 */
export function readModelFolder(model: string, dtype: TransformersDtype): ModelFolder {
  const path = resolve(model);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new InvalidOptionError({
      option: 'model',
      value: model,
      expected: 'an existing model folder (config.json, tokenizer.json, onnx/model.onnx) or a hub id',
    });
  }
  const configPath = join(path, 'config.json');
  if (!existsSync(configPath)) {
    throw new InvalidOptionError({
      option: 'model',
      value: model,
      expected: 'a folder with a config.json (the Hugging Face model config)',
    });
  }
  const onnxFile = join(path, 'onnx', onnxFileOfDtype[dtype]);
  if (!existsSync(onnxFile)) {
    const present = existsSync(join(path, 'onnx'))
      ? readdirSync(join(path, 'onnx')).join(', ')
      : 'no onnx/ folder';
    throw new InvalidOptionError({
      option: 'model',
      value: model,
      expected: `a folder with onnx/${onnxFileOfDtype[dtype]} for dtype "${dtype}" (found: ${present || 'nothing'}); pick the dtype of a file that is there`,
    });
  }
  const configText = readFileSync(configPath, 'utf8');
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(configText) as Record<string, unknown>;
  } catch (cause) {
    throw new InvalidOptionError({
      option: 'model',
      value: model,
      expected: `a valid JSON config.json (${(cause as Error).message})`,
    });
  }
  return { path, config, fingerprint: folderFingerprint(path, configText, onnxFile) };
}

const sampleBytes = 65536;

function folderFingerprint(path: string, configText: string, onnxFile: string): string {
  let hash = fnv1a32(new TextEncoder().encode(configText));
  for (const name of ['tokenizer.json', 'tokenizer_config.json']) {
    const file = join(path, name);
    if (existsSync(file)) hash = fnv1a32(readFileSync(file), hash);
  }
  const size = statSync(onnxFile).size;
  hash = fnv1a32(new TextEncoder().encode(String(size)), hash);
  const descriptor = openSync(onnxFile, 'r');
  try {
    for (const start of [0, Math.max(0, size - sampleBytes)]) {
      const sample = new Uint8Array(Math.min(sampleBytes, size));
      readSync(descriptor, sample, 0, sample.length, start);
      hash = fnv1a32(sample, hash);
    }
  } finally {
    closeSync(descriptor);
  }
  return `transformers:${hash.toString(16).padStart(8, '0')}`;
}

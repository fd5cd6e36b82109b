import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { InvalidOptionError } from '@sirllm/core';
import { onnxFileOfDtype } from './dtype.js';
import { parseModelConfig } from './model-config.js';
import { fingerprintSampleBytes, modelFingerprint } from './model-fingerprint.js';
import type { TransformersDtype } from './transformers-backend-options.js';

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
  const config = parseModelConfig(configText, model);
  return { path, config, fingerprint: folderFingerprint(path, configText, onnxFile) };
}

function folderFingerprint(path: string, configText: string, onnxFile: string): string {
  const tokenizerFiles = ['tokenizer.json', 'tokenizer_config.json']
    .map((name) => join(path, name))
    .filter((file) => existsSync(file))
    .map((file) => new Uint8Array(readFileSync(file)));
  const onnxSize = statSync(onnxFile).size;
  const sample = (start: number) => {
    const bytes = new Uint8Array(Math.min(fingerprintSampleBytes, onnxSize));
    const descriptor = openSync(onnxFile, 'r');
    try {
      readSync(descriptor, bytes, 0, bytes.length, start);
    } finally {
      closeSync(descriptor);
    }
    return bytes;
  };
  return modelFingerprint({
    configText,
    tokenizerFiles,
    onnxSize,
    onnxHead: sample(0),
    onnxTail: sample(Math.max(0, onnxSize - fingerprintSampleBytes)),
  });
}

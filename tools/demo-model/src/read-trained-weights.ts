import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ModelTensor, resolveTinyLlamaConfig, type TinyLlamaModel } from '@sirllm/testkit';
import type { DemoModelConfig } from './demo-model-config.js';

interface ManifestEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
}

/**
 * Reads the weights the trainer wrote (`{name}.f32`, raw little-endian float32, and `{name}.json`, each
 * tensor's Hugging Face name, shape and byte offset) as a testkit model, which the GGUF and ONNX
 * writers and the reference backend take.
 */
export function readTrainedWeights(
  config: DemoModelConfig,
  buildPath: string,
  vocabularySize: number,
  name = 'weights',
): TinyLlamaModel {
  const bytes = readFileSync(join(buildPath, `${name}.f32`));
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const manifest = JSON.parse(readFileSync(join(buildPath, `${name}.json`), 'utf8')) as ManifestEntry[];
  const tensors = new Map<string, ModelTensor>();
  for (const entry of manifest) {
    const size = entry.shape.reduce((product, dimension) => product * dimension, 1);
    const start = entry.offset / 4;
    tensors.set(entry.name, { shape: entry.shape, data: values.slice(start, start + size) });
  }
  const { model } = config;
  return {
    config: resolveTinyLlamaConfig({
      seed: config.seed,
      layers: model.layers,
      attentionHeads: model.attentionHeads,
      keyValueHeads: model.keyValueHeads,
      hiddenSize: model.hiddenSize,
      intermediateSize: model.intermediateSize,
      vocabularySize,
      rope: { theta: model.ropeTheta },
      rmsNormEpsilon: model.rmsNormEpsilon,
      tiedEmbeddings: true,
      maximumPositionEmbeddings: model.maximumPositionEmbeddings,
    }),
    tensors,
  };
}

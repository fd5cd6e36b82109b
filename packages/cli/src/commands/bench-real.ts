import { join } from 'node:path';
import { profileAppend } from '../bench-real/append-profile.js';
import { loadLine, machineDescription } from '../bench-real/machine-description.js';
import {
  defaultCacheFolder,
  ensureShapeFiles,
  ggufPath,
  onnxFolder,
  realGgufTypes,
} from '../bench-real/model-cache.js';
import { qwenShape, type RealShape } from '../bench-real/real-shapes.js';
import type { RealBenchArguments } from './bench-real-arguments.js';
import { quickNote } from './measure.js';

/** Options of {@link benchmarkRealShapes}: the command line's, with the bench command's `quick`. */
export interface RealBenchOptions extends RealBenchArguments {
  readonly quick: boolean;
  /** Where the generated models (and profiles) live; default `.cache/real-shapes/`. */
  readonly cacheFolder?: string;
}

/**
 * The benchmark at real model shapes (not run in CI): generates each shape's GGUF F16 / Q8_0 (and, for
 * the Qwen shape, an ONNX folder) once into the cache folder, then measures llama.cpp per file and
 * transformers.js on the Qwen shape, reporting each table through `out` as soon as it is measured.
 */
export async function benchmarkRealShapes(
  options: RealBenchOptions,
  out: (text: string) => void,
  log: (text: string) => void,
): Promise<void> {
  const folder = options.cacheFolder ?? defaultCacheFolder();
  out(`## Real model shapes (random weights written by the testkit)${options.quick ? ' — quick' : ''}\n`);
  out(await machineDescription(options.threads));
  out(`Models: ${folder}`);
  if (options.quick) out(`\n${quickNote('fewer tokens, histories and repeats (see `sirllm bench --help`)')}`);
  for (const shape of options.shapes) {
    const onnx = options.transformers && shape === qwenShape;
    const timings = ensureShapeFiles(folder, shape, { types: options.types, onnx, log });
    if (timings.length > 0) {
      out(
        `\nGenerated ${shape.label} files (once; reused from the cache afterwards): ${timings
          .map(
            (timing) =>
              `${timing.what} ${(timing.milliseconds / 1000).toFixed(1)} s${timing.bytes === undefined ? '' : ` (${(timing.bytes / 2 ** 30).toFixed(2)} GiB)`}`,
          )
          .join('; ')}`,
      );
    }
  }
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  const llama = await getLlama({
    build: 'never',
    gpu: false,
    maxThreads: options.threads,
    logLevel: LlamaLogLevel.error,
  });
  const { measureLlamaCpp } = await import('../bench-real/llamacpp-measurements.js');
  try {
    for (const shape of options.shapes) {
      out(`\n## ${shape.label}: ${describeShape(shape)}`);
      for (const type of options.types) {
        const modelPath = ggufPath(folder, shape, type);
        await measureLlamaCpp(
          {
            shape,
            type,
            modelPath,
            llama,
            threads: options.threads,
            kvCacheType: options.kvCacheType,
            quick: options.quick,
          },
          out,
        );
        if (options.profile) {
          const { path, summary } = await profileAppend({
            shape,
            type,
            modelPath,
            llama,
            threads: options.threads,
            folder: join(folder, 'profiles'),
          });
          out(`\nCPU profile of the append path (3 appends of 512 tokens): ${path}\n\n${summary}`);
        }
      }
      if (options.transformers && shape === qwenShape) {
        const { measureTransformers } = await import('../bench-real/transformers-measurements.js');
        await measureTransformers(
          { shape, folder: onnxFolder(folder, shape), threads: options.threads, quick: options.quick },
          out,
        );
      }
    }
  } finally {
    await llama.dispose();
  }
  out(`\n${loadLine()}`);
}

function describeShape(shape: RealShape): string {
  return `family ${shape.family}, ${shape.layers} layers, width ${shape.hiddenSize}, ${shape.attentionHeads}/${shape.keyValueHeads} heads, MLP ${shape.intermediateSize.toLocaleString('en-US')}, vocabulary ${shape.vocabularySize.toLocaleString('en-US')}, tied`;
}

export { realGgufTypes };

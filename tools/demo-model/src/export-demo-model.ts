import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ByteLevelTokenizer,
  type MergePair,
  referenceForward,
  specialTokenTexts,
  testkitChatTemplateJinja,
  tinyLlamaToGguf,
  transformersModelFiles,
  withFloat16Matrices,
} from '@sirllm/testkit';
import type { DemoModelConfig } from './demo-model-config.js';
import { readTrainedWeights } from './read-trained-weights.js';

/** Options of {@link exportDemoModel}. */
export interface ExportDemoModelOptions {
  readonly config: DemoModelConfig;
  readonly buildPath: string;
  readonly outputPath: string;
  /** Python 3 with torch, for the export check. */
  readonly python: string;
}

const probeText =
  '<s><|user|>I want you to buy the GROCERY: [cheese].<|end|><|assistant|>OK<|end|><s><|user|>Which one is the GROCERY that I want you to buy earlier?<|end|><|assistant|>cheese<|end|>';

/**
 * Writes the model folder: the GGUF for llama.cpp, the ONNX model and tokenizer files for
 * transformers.js (both with the matrices rounded to float16, computed in float32), and
 * `training.json` (config and data summary). Before writing, checks that the exported weights run by
 * the TypeScript reference forward pass give the trainer's logits.
 */
export function exportDemoModel(options: ExportDemoModelOptions): void {
  const { config, buildPath, outputPath } = options;
  const merges = JSON.parse(readFileSync(join(buildPath, 'tokenizer-merges.json'), 'utf8')) as MergePair[];
  const tokenizer = new ByteLevelTokenizer(merges, specialTokenTexts);
  const model = readTrainedWeights(config, buildPath, tokenizer.vocabularySize);

  const probe = tokenizer.encode(probeText, { special: true });
  const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'python', 'probe.py');
  const result = spawnSync(options.python, [script, buildPath, 'weights', JSON.stringify(probe)], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) throw new Error(`probe.py failed: ${result.stderr}`);
  const trainerLogits = JSON.parse(result.stdout) as number[][];
  const referenceLogits = referenceForward(model, probe);
  const largest = largestDifference(referenceLogits, trainerLogits);
  if (!(largest < 1e-3)) {
    throw new Error(`exported weights disagree with the trainer: largest logit difference ${largest}`);
  }
  process.stdout.write(
    `export check: reference vs trainer logits, largest difference ${largest.toExponential(2)}\n`,
  );

  // Both files hold the same weights: the matrices rounded to float16 (to fit the size budget), stored
  // as float32 in the GGUF and as float16 with a Cast to float32 in the ONNX graph, so llama.cpp and
  // onnxruntime both compute in float32 with the same numbers (decision 0013).
  const rounded = withFloat16Matrices(model);
  const roundingEffect = largestDifference(referenceForward(rounded, probe), referenceLogits);
  process.stdout.write(
    `float16 weights: largest logit change on the probe ${roundingEffect.toExponential(2)}\n`,
  );
  mkdirSync(join(outputPath, 'onnx'), { recursive: true });
  writeFileSync(
    join(outputPath, `${config.name}.f32.gguf`),
    tinyLlamaToGguf(rounded, {
      tokenizer,
      tensorType: 'f32',
      name: config.name,
      chatTemplate: testkitChatTemplateJinja,
    }),
  );
  for (const [path, content] of transformersModelFiles(rounded, { tokenizer, weightType: 'float16' })) {
    writeFileSync(join(outputPath, path), content);
  }
  const summary = JSON.parse(readFileSync(join(buildPath, 'summary.json'), 'utf8')) as unknown;
  const training = {
    name: config.name,
    parameters: [...model.tensors.values()].reduce((total, tensor) => total + tensor.data.length, 0),
    config,
    data: summary,
    exportCheckLargestLogitDifference: largest,
    float16RoundingLargestLogitChange: roundingEffect,
  };
  writeFileSync(join(outputPath, 'training.json'), `${JSON.stringify(training, null, 2)}\n`);
}

/** The largest absolute difference between two logit tables (NaN when a row or value is missing). */
function largestDifference(
  rows: readonly ArrayLike<number>[],
  otherRows: readonly (ArrayLike<number> | undefined)[],
): number {
  let largest = 0;
  for (const [index, row] of rows.entries()) {
    for (let column = 0; column < row.length; column++) {
      // Math.max is NaN when either side is, so a missing value cannot pass the check.
      largest = Math.max(
        largest,
        Math.abs((row[column] as number) - (otherRows[index]?.[column] ?? Number.NaN)),
      );
    }
  }
  return largest;
}

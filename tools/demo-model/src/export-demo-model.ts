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
 * Writes the model folder: the GGUF (float16 matrices) for llama.cpp, the ONNX model and tokenizer
 * files for transformers.js, and `training.json` (config and data summary). Before writing, checks that
 * the exported weights run by the TypeScript reference forward pass give the trainer's logits.
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
  let largest = 0;
  referenceLogits.forEach((row, index) => {
    row.forEach((value, column) => {
      largest = Math.max(largest, Math.abs(value - (trainerLogits[index]?.[column] ?? Number.NaN)));
    });
  });
  if (!(largest < 1e-3)) {
    throw new Error(`exported weights disagree with the trainer: largest logit difference ${largest}`);
  }
  process.stdout.write(
    `export check: reference vs trainer logits, largest difference ${largest.toExponential(2)}\n`,
  );

  mkdirSync(join(outputPath, 'onnx'), { recursive: true });
  writeFileSync(
    join(outputPath, `${config.name}.f16.gguf`),
    tinyLlamaToGguf(model, {
      tokenizer,
      tensorType: 'f16',
      name: config.name,
      chatTemplate: testkitChatTemplateJinja,
    }),
  );
  for (const [path, content] of transformersModelFiles(model, { tokenizer })) {
    writeFileSync(join(outputPath, path), content);
  }
  const summary = JSON.parse(readFileSync(join(buildPath, 'summary.json'), 'utf8')) as unknown;
  const training = {
    name: config.name,
    parameters: [...model.tensors.values()].reduce((total, tensor) => total + tensor.data.length, 0),
    config,
    data: summary,
    exportCheckLargestLogitDifference: largest,
  };
  writeFileSync(join(outputPath, 'training.json'), `${JSON.stringify(training, null, 2)}\n`);
}

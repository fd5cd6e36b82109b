import { InvalidOptionError } from '@sirllm/core';
import type { FamilyChatFormat } from '../chat/chat-format.js';
import { chatFormatFitting, familyChatFormat, familyTokenizer } from '../chat/family-chat-formats.js';
import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';
import type { ByteLevelTokenizer } from '../tokenizer/byte-level-tokenizer.js';
import { huggingFaceConfig } from './hugging-face-config.js';
import { writeLlamaOnnx } from './llama-onnx-graph.js';
import type { OnnxExportOptions } from './onnx-export-options.js';
import { tokenizerConfigJson, tokenizerJson } from './tokenizer-json.js';

/** Options of {@link transformersModelFiles}. */
export interface TransformersModelFilesOptions extends OnnxExportOptions {
  /** Default: the testkit tokenizer of the model's family (`familyTokenizer`). */
  readonly tokenizer?: ByteLevelTokenizer;
  /**
   * The chat template and special tokens written to `tokenizer_config.json` and `config.json` (default:
   * the model family's, `familyChatFormat`; with a `tokenizer` lacking its tokens, the testkit format).
   */
  readonly chatFormat?: FamilyChatFormat;
}

/**
 * Every file of a transformers.js model folder, keyed by relative path: `config.json`,
 * `tokenizer.json`, `tokenizer_config.json` and the graph, as `onnx/model.onnx` for a float32 cache
 * (load with `dtype: 'fp32'`) or `onnx/model_fp16.onnx` for a float16 cache (load with
 * `dtype: 'fp16'`). The caller writes them to disk.
 */
export function transformersModelFiles(
  model: TinyLlamaModel,
  options: TransformersModelFilesOptions = {},
): Map<string, Uint8Array | string> {
  const { family } = model.config;
  const tokenizer = options.tokenizer ?? familyTokenizer(family);
  if (tokenizer.vocabularySize > model.config.vocabularySize) {
    throw new InvalidOptionError({
      option: 'tokenizer',
      value: tokenizer.vocabularySize,
      expected: `a tokenizer with at most the model's ${model.config.vocabularySize} tokens (familyTokenizer('${family}') has ${familyTokenizer(family).vocabularySize})`,
    });
  }
  const format = options.chatFormat ?? chatFormatFitting(familyChatFormat(family), tokenizer);
  const onnxPath = options.cacheType === 'float16' ? 'onnx/model_fp16.onnx' : 'onnx/model.onnx';
  return new Map<string, Uint8Array | string>([
    ['config.json', huggingFaceConfig(model.config, tokenizer, format)],
    ['tokenizer.json', tokenizerJson(tokenizer)],
    ['tokenizer_config.json', tokenizerConfigJson(tokenizer, model.config.maximumPositionEmbeddings, format)],
    [onnxPath, writeLlamaOnnx(model, options)],
  ]);
}

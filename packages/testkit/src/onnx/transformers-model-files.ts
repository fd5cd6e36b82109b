import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';
import type { ByteLevelTokenizer } from '../tokenizer/byte-level-tokenizer.js';
import { createTokenizer } from '../tokenizer/create-tokenizer.js';
import { huggingFaceConfig } from './hugging-face-config.js';
import { writeLlamaOnnx } from './llama-onnx-graph.js';
import type { OnnxExportOptions } from './onnx-export-options.js';
import { tokenizerConfigJson, tokenizerJson } from './tokenizer-json.js';

/** Options of {@link transformersModelFiles}. */
export interface TransformersModelFilesOptions extends OnnxExportOptions {
  /** Default: the testkit tokenizer. */
  readonly tokenizer?: ByteLevelTokenizer;
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
  const tokenizer = options.tokenizer ?? createTokenizer();
  const onnxPath = options.cacheType === 'float16' ? 'onnx/model_fp16.onnx' : 'onnx/model.onnx';
  return new Map<string, Uint8Array | string>([
    ['config.json', huggingFaceConfig(model.config, tokenizer)],
    ['tokenizer.json', tokenizerJson(tokenizer)],
    ['tokenizer_config.json', tokenizerConfigJson(tokenizer, model.config.maximumPositionEmbeddings)],
    [onnxPath, writeLlamaOnnx(model, options)],
  ]);
}

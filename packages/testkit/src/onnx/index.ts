export { writeLlamaOnnx } from './llama-onnx-graph.js';
export type { OnnxCacheType, OnnxExportOptions, OnnxExportStyle } from './onnx-export-options.js';
export {
  type OnnxAttribute,
  type OnnxDataType,
  type OnnxDimension,
  OnnxGraphBuilder,
  type OnnxTensor,
  onnxDataType,
} from './onnx-graph-builder.js';
export { testkitChatTemplateJinja } from './tokenizer-json.js';
export { type TransformersModelFilesOptions, transformersModelFiles } from './transformers-model-files.js';

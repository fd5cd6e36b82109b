export { float16Bits } from './float16.js';
export type { GgufScalarType, GgufValue } from './gguf-value.js';
export {
  dequantizeBlocks,
  type QuantizedTensorType,
  quantizeBlocks,
} from './quantization/quantized-blocks.js';
export { type TinyLlamaGgufOptions, tinyLlamaToGguf } from './tiny-llama-gguf.js';
export { type GgufContent, type GgufTensor, type GgufTensorType, writeGguf } from './write-gguf.js';

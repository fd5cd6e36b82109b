export { float16Bits, float16Value, roundToFloat16, toFloat16Array } from './float16.js';
export type { GgufScalarType, GgufValue } from './gguf-value.js';
export { permuteRowsForGgmlRope } from './rope-row-permutation.js';
export { type TinyLlamaGgufOptions, tinyLlamaToGguf } from './tiny-llama-gguf.js';
export { type GgufContent, type GgufTensor, type GgufTensorType, writeGguf } from './write-gguf.js';

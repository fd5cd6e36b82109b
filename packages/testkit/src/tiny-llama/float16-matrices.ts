import { roundToFloat16 } from '../gguf/float16.js';
import type { ModelTensor, TinyLlamaModel } from './tiny-llama-model.js';

/**
 * The same model with every matrix (every tensor of two or more dimensions) rounded to the nearest
 * float16 values, kept as float32; norm vectors are unchanged. These are exactly the numbers a float16
 * GGUF (`tensorType: 'f16'`) or an ONNX export with `weightType: 'float16'` stores, so a float32 GGUF of
 * this model and a float16-weight ONNX export compute with the same weights.
 */
export function withFloat16Matrices(model: TinyLlamaModel): TinyLlamaModel {
  const tensors = new Map<string, ModelTensor>();
  for (const [name, tensor] of model.tensors) {
    tensors.set(
      name,
      tensor.shape.length >= 2 ? { shape: tensor.shape, data: roundToFloat16(tensor.data) } : tensor,
    );
  }
  return { config: model.config, tensors };
}

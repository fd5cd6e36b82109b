import {
  type QuantizedTensorType,
  requireWholeBlocks,
  roundToBlocks,
} from '../gguf/quantization/quantized-blocks.js';
import type { ModelTensor, TinyLlamaModel } from './tiny-llama-model.js';

/**
 * The same model with every matrix (every tensor of two or more dimensions) replaced by the values its
 * `type` blocks stand for — quantized along each row (the last, input axis: GGUF's ne[0]) and dequantized
 * again — kept as float32; norm vectors and biases are unchanged. These are exactly the numbers a GGUF
 * written with `tinyLlamaToGguf(model, { tensorType: type })` holds, so the reference forward pass of
 * this model runs the file's weights. Every matrix row must be a multiple of 32 long
 * (`InvalidOptionError` naming the tensor otherwise).
 */
export function withQuantizedMatrices(model: TinyLlamaModel, type: QuantizedTensorType): TinyLlamaModel {
  const tensors = new Map<string, ModelTensor>();
  for (const [name, tensor] of model.tensors) {
    if (tensor.shape.length < 2) {
      tensors.set(name, tensor);
      continue;
    }
    requireWholeBlocks(`model.tensors[${name}]`, tensor.shape[tensor.shape.length - 1] ?? 0, type);
    tensors.set(name, { shape: tensor.shape, data: roundToBlocks(tensor.data, type) });
  }
  return { config: model.config, tensors };
}

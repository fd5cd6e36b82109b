import type { TransformersDtype } from './transformers-backend-options.js';

/** Every weight precision the backend loads, in the order error messages list them. */
export const transformersDtypes: readonly TransformersDtype[] = ['fp32', 'fp16', 'q8', 'q4'];

/** The ONNX file transformers.js loads for each dtype (inside `onnx/`). */
export const onnxFileOfDtype: Readonly<Record<TransformersDtype, string>> = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q8: 'model_quantized.onnx',
  q4: 'model_q4.onnx',
};

/**
 * output[o] = Σ_i weight[o·inputs + i] · input[i], for a row-major `[outputs, inputs]` weight
 * (Hugging Face linear layout). Accumulates in float64.
 */
export function multiplyMatrixVector(
  weight: Float32Array,
  input: Float64Array,
  output: Float64Array,
  outputs: number,
  inputs: number,
): void {
  for (let o = 0; o < outputs; o++) {
    let sum = 0;
    const row = o * inputs;
    for (let i = 0; i < inputs; i++) sum += (weight[row + i] as number) * (input[i] as number);
    output[o] = sum;
  }
}

/**
 * output = input / √(mean(input²) + ε) · (weightOffset + weight): Llama RMSNorm with offset 0, Gemma's
 * `x̂·(1 + w)` with offset 1.
 */
export function rmsNorm(
  input: Float64Array,
  weight: Float32Array,
  epsilon: number,
  output: Float64Array,
  weightOffset = 0,
): void {
  let squares = 0;
  for (let i = 0; i < input.length; i++) squares += (input[i] as number) ** 2;
  const scale = 1 / Math.sqrt(squares / input.length + epsilon);
  for (let i = 0; i < input.length; i++) {
    output[i] = (input[i] as number) * scale * (weightOffset + (weight[i] as number));
  }
}

/** {@link rmsNorm} in place over `row[offset .. offset + weight.length)` (one attention head). */
export function rmsNormSpan(
  row: Float64Array,
  offset: number,
  weight: Float32Array,
  epsilon: number,
  weightOffset = 0,
): void {
  const length = weight.length;
  let squares = 0;
  for (let i = 0; i < length; i++) squares += (row[offset + i] as number) ** 2;
  const scale = 1 / Math.sqrt(squares / length + epsilon);
  for (let i = 0; i < length; i++) {
    row[offset + i] = (row[offset + i] as number) * scale * (weightOffset + (weight[i] as number));
  }
}

/** Adds `bias` to `vector` element by element. */
export function addBias(vector: Float64Array, bias: Float32Array): void {
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) + (bias[i] as number);
}

/** SiLU (swish): x · σ(x). */
export function silu(x: number): number {
  return x / (1 + Math.exp(-x));
}

/** GELU with the tanh approximation (`gelu_pytorch_tanh`, Gemma's MLP). */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}

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

/** output = input / √(mean(input²) + ε) · weight (Llama RMSNorm). */
export function rmsNorm(
  input: Float64Array,
  weight: Float32Array,
  epsilon: number,
  output: Float64Array,
): void {
  let squares = 0;
  for (let i = 0; i < input.length; i++) squares += (input[i] as number) ** 2;
  const scale = 1 / Math.sqrt(squares / input.length + epsilon);
  for (let i = 0; i < input.length; i++) output[i] = (input[i] as number) * scale * (weight[i] as number);
}

/** SiLU (swish): x · σ(x). */
export function silu(x: number): number {
  return x / (1 + Math.exp(-x));
}

/**
 * Reorders the rows of a query or key projection (`[heads × headDimension, hidden]`, row-major) from
 * the Hugging Face rotate-half RoPE layout, which pairs dimension j with j + r/2, to the GGML "normal"
 * layout of llama-architecture GGUF files, which pairs 2j with 2j + 1. Only the first
 * `rotaryDimensions` rows of each head move. Attention scores are unchanged, because queries and keys
 * get the same permutation.
 */
export function permuteRowsForGgmlRope(
  data: Float32Array,
  heads: number,
  headDimension: number,
  rotaryDimensions: number,
): Float32Array {
  const rowLength = data.length / (heads * headDimension);
  const out = data.slice();
  const half = rotaryDimensions / 2;
  for (let head = 0; head < heads; head++) {
    const base = head * headDimension;
    for (let j = 0; j < half; j++) {
      for (const [from, to] of [
        [j, 2 * j],
        [j + half, 2 * j + 1],
      ] as const) {
        const source = (base + from) * rowLength;
        out.set(data.subarray(source, source + rowLength), (base + to) * rowLength);
      }
    }
  }
  return out;
}

/**
 * The model families the testkit can build, each with the structure of the real family (see
 * `familyArchitecture` and `familyDefaults`):
 *
 * - `llama`: the plain Llama architecture the testkit always had (RMSNorm, RoPE, GQA, SwiGLU).
 * - `llama3`: Llama 3.x — `llama3` RoPE scaling (factor 8, low 1, high 4, original 8192), θ 500000,
 *   the real 128,256-token vocabulary size.
 * - `smollm2`: SmolLM2 — the Llama architecture, θ 100000, tied embeddings.
 * - `mistral`: Mistral 7B v0.3 — the Llama architecture, θ 1e6, untied output head.
 * - `qwen2`: Qwen 2 / 2.5 — biases on the query, key and value projections, θ 1e6, eps 1e-6.
 * - `qwen3`: Qwen 3 — RMSNorm over each query and key head before RoPE, head size decoupled from the
 *   width, θ 1e6, eps 1e-6.
 * - `phi3`: Phi-3 / 3.5-mini — fused query/key/value and gate/up matrices in files, untied head.
 * - `gemma3`: Gemma 3 — four norms per block, norms scale by (1 + w), embeddings × √width, GeGLU
 *   (tanh GELU), q/k norms, sliding-window layers with their own RoPE base (every `pattern`-th layer
 *   is global).
 */
export type ModelFamily = 'llama' | 'llama3' | 'smollm2' | 'mistral' | 'qwen2' | 'qwen3' | 'phi3' | 'gemma3';

/** Every family, in the order documentation lists them. */
export const modelFamilies: readonly ModelFamily[] = [
  'llama',
  'llama3',
  'smollm2',
  'mistral',
  'qwen2',
  'qwen3',
  'phi3',
  'gemma3',
];

/** True for a known family name. */
export function isModelFamily(value: unknown): value is ModelFamily {
  return typeof value === 'string' && (modelFamilies as readonly string[]).includes(value);
}

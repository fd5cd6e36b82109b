import { type ModelFamily, modelFamilies } from './model-family.js';

/** A backend library whose family support the matrix records. */
export type SupportBackend = 'llamacpp' | 'transformers';

/**
 * How the weights of a model file are stored: GGUF `f32`, `f16`, `q8_0`, `q4_0` (llama.cpp); ONNX
 * `fp32` and `fp16` weights (transformers.js).
 */
export type SupportWeights = 'f32' | 'f16' | 'q8_0' | 'q4_0' | 'fp32' | 'fp16';

/**
 * What SirLLM does with one family × backend × weight type:
 * - `works`: sequences compact exactly and the backend passes the conformance suite against the
 *   reference backend;
 * - `refused`: the backend refuses before anything is evaluated, with `PositionShiftUnsupportedError`
 *   naming `reason`.
 */
export type SupportResult =
  | {
      /** Compaction is exact and the conformance suite passes. */
      readonly result: 'works';
    }
  | {
      /** The backend refuses the model before evaluating anything. */
      readonly result: 'refused';
      /** Why, as the backend's error message says it. */
      readonly reason: string;
      /** What to use instead. */
      readonly workaround: string;
    };

/** One cell of the family matrix. */
export type FamilySupport = {
  /** The model family. */
  readonly family: ModelFamily;
  /** The backend library. */
  readonly backend: SupportBackend;
  /** How the model file stores its weights. */
  readonly weights: SupportWeights;
} & SupportResult;

/** `reason` is the part of the backend's error message that says why (the tests look for it there). */
const slidingWindowRefusal: SupportResult = {
  result: 'refused',
  reason:
    'llama.cpp keeps sliding-window layers in a cache that reuses the cells of keys that left the window',
  workaround: 'use the transformers.js backend (exact compaction for Gemma 3), or run without eviction',
};

function cells(
  backend: SupportBackend,
  weights: readonly SupportWeights[],
  families: readonly ModelFamily[],
  result: (family: ModelFamily) => SupportResult,
): FamilySupport[] {
  return weights.flatMap((weight) =>
    families.map((family) => ({ family, backend, weights: weight, ...result(family) }) as FamilySupport),
  );
}

/**
 * The family matrix: what each backend does with each testkit family and weight type. The backends'
 * family tests iterate over it and assert each cell (works: surprisal equals the reference and the
 * conformance suite passes; refused: the typed error with this reason), and `docs/models.md` is
 * rendered from it (a test compares the two) — so the documentation cannot claim what no test shows.
 */
export const familySupport: readonly FamilySupport[] = [
  ...cells('llamacpp', ['f32', 'f16', 'q8_0', 'q4_0'], modelFamilies, (family) =>
    family === 'gemma3' ? slidingWindowRefusal : { result: 'works' },
  ),
  ...cells('transformers', ['fp32', 'fp16'], modelFamilies, () => ({ result: 'works' })),
];

/** The cells of one backend, optionally of one weight type. */
export function familySupportOf(backend: SupportBackend, weights?: SupportWeights): FamilySupport[] {
  return familySupport.filter(
    (cell) => cell.backend === backend && (weights === undefined || cell.weights === weights),
  );
}

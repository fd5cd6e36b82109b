import type { OnnxExportOptions, TinyLlamaOptions } from '@sirllm/testkit';

/** One testkit model of the WASM conformance suites, and how closely it must match the reference. */
export interface BrowserTestModel {
  /** Folder name under `/test-models/`. */
  readonly name: string;
  /** `createTinyLlama` options: the page builds the same seeded model as the reference. */
  readonly tinyLlama: TinyLlamaOptions;
  /** How the ONNX graph is exported (`transformersModelFiles`). */
  readonly export: OnnxExportOptions;
  readonly dtype: 'fp32' | 'fp16';
  /** The surprisal tolerance: float16 caches round keys and values to ~5e-4 each. */
  readonly tolerance: number;
}

/**
 * The models of the WASM conformance suites — on Node (`test/wasm.test.ts`) and in the page (served by
 * `scripts/browser/test-model-server.ts`): both export styles, each with a float32 and a float16 cache.
 */
export const browserTestModels: readonly BrowserTestModel[] = (
  ['position-ids', 'group-query-attention'] as const
).flatMap((style) =>
  (['float32', 'float16'] as const).map((cacheType) => ({
    name: `tiny-llama-${style}-${cacheType}`,
    tinyLlama: { hiddenSize: 64 },
    export: { style, cacheType },
    dtype: cacheType === 'float16' ? ('fp16' as const) : ('fp32' as const),
    tolerance: cacheType === 'float16' ? 2e-2 : 1e-4,
  })),
);

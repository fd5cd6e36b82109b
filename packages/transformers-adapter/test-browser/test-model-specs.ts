import type { OnnxExportOptions, TinyLlamaOptions } from '@sirllm/testkit';

/** One testkit model the browser tests load over HTTP, and how closely it must match the reference. */
export interface BrowserTestModel {
  /** Folder name under `/test-models/`. */
  readonly name: string;
  /** `createTinyLlama` options: the page builds the same seeded model as the reference. */
  readonly tinyLlama: TinyLlamaOptions;
  /** How the served ONNX graph is exported (`transformersModelFiles`). */
  readonly export: OnnxExportOptions;
  readonly dtype: 'fp32' | 'fp16';
  /** The surprisal tolerance of the same model in the Node suite (`test/wasm.test.ts`). */
  readonly tolerance: number;
}

/** The models of the Node WASM conformance suite, served to the page by `scripts/browser/test-model-server.ts`. */
export const browserTestModels: readonly BrowserTestModel[] = [
  {
    name: 'tiny-llama-position-ids-float32',
    tinyLlama: { hiddenSize: 64 },
    export: { style: 'position-ids', cacheType: 'float32' },
    dtype: 'fp32',
    tolerance: 1e-4,
  },
  {
    name: 'tiny-llama-position-ids-float16',
    tinyLlama: { hiddenSize: 64 },
    export: { style: 'position-ids', cacheType: 'float16' },
    dtype: 'fp16',
    tolerance: 2e-2,
  },
  {
    name: 'tiny-llama-group-query-attention-float32',
    tinyLlama: { hiddenSize: 64 },
    export: { style: 'group-query-attention', cacheType: 'float32' },
    dtype: 'fp32',
    tolerance: 1e-4,
  },
  {
    name: 'tiny-llama-group-query-attention-float16',
    tinyLlama: { hiddenSize: 64 },
    export: { style: 'group-query-attention', cacheType: 'float16' },
    dtype: 'fp16',
    tolerance: 2e-2,
  },
];

import type { KVBackend } from '@sirllm/core';
import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';

/** A backend under test and the tiny model it runs, as handed to {@link runBackendConformance}. */
export interface ConformanceSubject {
  /** The backend under test. */
  readonly backend: KVBackend;
  /** The weights the backend runs (e.g. written to GGUF or ONNX from this object): the reference. */
  readonly model: TinyLlamaModel;
  /**
   * Largest allowed error of a surprisal or logit, relative to max(1, |expected|) (default 1e-6, enough
   * for float32 results of an exact float64 computation; float32 inference engines need about 1e-3).
   */
  readonly tolerance?: number;
  /** Releases the subject after its checks (default: `backend.dispose()`). */
  readonly dispose?: () => Promise<void>;
}

/** Makes a fresh subject; called once per suite (and once more for the backend-disposal check). */
export type ConformanceFactory = () => Promise<ConformanceSubject> | ConformanceSubject;

/** Options of {@link runBackendConformance}. */
export interface ConformanceOptions {
  /** Capacity of the sequences most checks use (default 64). */
  readonly capacity?: number;
  /** Seed of the token fixtures (default 20240601). */
  readonly seed?: number;
}

import { hasMarker, SirLLMError } from './sirllm-error.js';

const marker = 'sirllm.error.capability-unsupported';
const symbol = Symbol.for(marker);

/**
 * A backend lacks an optional capability of the seam (e.g. constrained sampling). The message names
 * the backend, the capability and what to use instead. Nothing was changed.
 */
export class CapabilityUnsupportedError extends SirLLMError {
  /** The global marker `isInstance` looks for (a `Symbol.for` key: it survives duplicate installs). */
  protected readonly [symbol] = true;
  /** The missing capability, e.g. `constrained sampling (KVBackend.compileJsonSchema)`. */
  readonly capability: string;
  /** The backend's model name (`KVBackend.info.name`). */
  readonly backend: string;

  constructor({ capability, backend, hint }: { capability: string; backend: string; hint: string }) {
    super(`Backend "${backend}" does not support ${capability}. ${hint}`);
    this.name = 'CapabilityUnsupportedError';
    this.capability = capability;
    this.backend = backend;
  }

  /** True when `error` is a `CapabilityUnsupportedError`, even one thrown by another copy of the library. */
  static override isInstance(error: unknown): error is CapabilityUnsupportedError {
    return hasMarker(error, marker);
  }
}

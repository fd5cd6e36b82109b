import { hasMarker, SirLLMError } from './sirllm-error.js';

const marker = 'sirllm.error.backend';
const symbol = Symbol.for(marker);

/** A backend broke its contract (wrong result shape, NaN scores, incompatible seam version). */
export class BackendError extends SirLLMError {
  /** The global marker `isInstance` looks for (a `Symbol.for` key: it survives duplicate installs). */
  protected readonly [symbol] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendError';
  }

  /** True when `error` is a `BackendError`, even one thrown by another copy of the library. */
  static override isInstance(error: unknown): error is BackendError {
    return hasMarker(error, marker);
  }
}

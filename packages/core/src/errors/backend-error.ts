import { hasMarker, SirLLMError } from './sirllm-error.js';

const marker = 'sirllm.error.backend';
const symbol = Symbol.for(marker);

/** A backend broke its contract (wrong result shape, NaN scores, incompatible seam version). */
export class BackendError extends SirLLMError {
  protected readonly [symbol] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendError';
  }

  static override isInstance(error: unknown): error is BackendError {
    return hasMarker(error, marker);
  }
}

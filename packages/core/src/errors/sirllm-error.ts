const marker = 'sirllm.error';
const symbol = Symbol.for(marker);

/**
 * Base class of every error this library throws. Check with `SirLLMError.isInstance(error)` (or a
 * subclass's `isInstance`) rather than `instanceof`: the marker is a global symbol, so the check works
 * across duplicate installs and bundles.
 */
export class SirLLMError extends Error {
  /** The global marker `isInstance` looks for (a `Symbol.for` key: it survives duplicate installs). */
  protected readonly [symbol] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SirLLMError';
  }

  /** True when `error` is any SirLLM error, even one thrown by another copy of the library. */
  static isInstance(error: unknown): error is SirLLMError {
    return hasMarker(error, marker);
  }
}

/** True when `error` is an object carrying the global marker symbol for `markerName`. */
export function hasMarker(error: unknown, markerName: string): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[Symbol.for(markerName)] === true
  );
}

import { hasMarker, SirLLMError } from './sirllm-error.js';

const marker = 'sirllm.error.capacity-exceeded';
const symbol = Symbol.for(marker);

/** More tokens were asked to be resident than the cache can hold. Nothing was changed. */
export class CapacityExceededError extends SirLLMError {
  /** The global marker `isInstance` looks for (a `Symbol.for` key: it survives duplicate installs). */
  protected readonly [symbol] = true;
  /** How many tokens the cache holds. */
  readonly capacity: number;
  /** How many tokens would have had to be resident. */
  readonly requested: number;

  constructor({ capacity, requested, hint }: { capacity: number; requested: number; hint: string }) {
    super(`The cache holds ${capacity} tokens but ${requested} were needed. ${hint}`);
    this.name = 'CapacityExceededError';
    this.capacity = capacity;
    this.requested = requested;
  }

  /** True when `error` is a `CapacityExceededError`, even one thrown by another copy of the library. */
  static override isInstance(error: unknown): error is CapacityExceededError {
    return hasMarker(error, marker);
  }
}

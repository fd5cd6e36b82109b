import { hasMarker, SirLLMError } from './sirllm-error.js';

const marker = 'sirllm.error.capacity-exceeded';
const symbol = Symbol.for(marker);

/** More tokens were asked to be resident than the cache can hold. Nothing was changed. */
export class CapacityExceededError extends SirLLMError {
  protected readonly [symbol] = true;
  readonly capacity: number;
  readonly requested: number;

  constructor({ capacity, requested, hint }: { capacity: number; requested: number; hint: string }) {
    super(`The cache holds ${capacity} tokens but ${requested} were needed. ${hint}`);
    this.name = 'CapacityExceededError';
    this.capacity = capacity;
    this.requested = requested;
  }

  static override isInstance(error: unknown): error is CapacityExceededError {
    return hasMarker(error, marker);
  }
}

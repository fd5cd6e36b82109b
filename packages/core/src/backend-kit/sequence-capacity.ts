import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { CreateSequenceOptions } from '../seam/kv-backend.js';

/** The largest capacity a backend can fit, and optionally what that limit is (for the error message). */
export interface CapacityLimit {
  /** Largest `capacity` accepted (an integer ≥ 1). */
  readonly maximum: number;
  /**
   * Where the limit comes from and how to raise it, appended to the message in parentheses, e.g.
   * `the backend's contextSize; create the backend with a larger contextSize for more`.
   */
  readonly note?: string;
}

/**
 * The one capacity check of `createSequence` and `restoreSequence`: returns `options.capacity` when it
 * is an integer in [1, `maximum`], and otherwise throws `InvalidOptionError` naming `capacity`
 * (expected `an integer in [1, maximum]`, followed by the `note`). Tolerates missing `options`, as
 * plain JavaScript callers may pass none.
 */
export function requireSequenceCapacity(
  options: CreateSequenceOptions | undefined,
  { maximum, note }: CapacityLimit,
): number {
  const value = (options as { capacity?: unknown } | null | undefined)?.capacity;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maximum) {
    throw new InvalidOptionError({
      option: 'capacity',
      value,
      expected: `an integer in [1, ${maximum}]${note ? ` (${note})` : ''}`,
    });
  }
  return value;
}

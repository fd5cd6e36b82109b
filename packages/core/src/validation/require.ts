import { InvalidOptionError } from '../errors/invalid-option-error.js';

/** Checks that `value` is an integer in [minimum, maximum] and returns it. */
export function requireInteger(
  option: string,
  value: unknown,
  { minimum = Number.MIN_SAFE_INTEGER, maximum = Number.MAX_SAFE_INTEGER } = {},
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum) {
    const range =
      maximum === Number.MAX_SAFE_INTEGER
        ? `an integer ≥ ${minimum}`
        : minimum === Number.MIN_SAFE_INTEGER
          ? `an integer ≤ ${maximum}`
          : `an integer in [${minimum}, ${maximum}]`;
    throw new InvalidOptionError({ option, value, expected: range });
  }
  return value;
}

/** Checks that `value` is a finite number in the given range and returns it. */
export function requireNumber(
  option: string,
  value: unknown,
  {
    minimum = Number.NEGATIVE_INFINITY,
    maximum = Number.POSITIVE_INFINITY,
    minimumExclusive = false,
    description,
  }: { minimum?: number; maximum?: number; minimumExclusive?: boolean; description?: string } = {},
): number {
  const tooSmall = typeof value === 'number' && (minimumExclusive ? value <= minimum : value < minimum);
  if (typeof value !== 'number' || !Number.isFinite(value) || tooSmall || value > maximum) {
    const lower = minimumExclusive ? `(${minimum}` : `[${minimum}`;
    throw new InvalidOptionError({
      option,
      value,
      expected: description ?? `a finite number in ${lower}, ${maximum}]`,
    });
  }
  return value;
}

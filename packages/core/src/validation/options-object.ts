import { InvalidOptionError } from '../errors/invalid-option-error.js';

/**
 * Checks the options object of a public factory called from plain JavaScript: it must be an object
 * (or undefined when `optional`), and every key must be one of `known` — a misspelt or misplaced option
 * (`{ path }` for `{ modelPath }`) is named, with the closest known name, instead of being ignored.
 * Returns the object (an empty one for an omitted optional object).
 */
export function requireOptionsObject<T extends object>(
  options: T | undefined,
  known: readonly (keyof T & string)[],
  { what = 'options', optional = false }: { what?: string; optional?: boolean } = {},
): T {
  if (options === undefined && optional) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionError({
      option: what,
      value: options,
      expected: `an object with ${known.join(', ')}`,
    });
  }
  for (const key of Object.keys(options)) {
    if ((known as readonly string[]).includes(key)) continue;
    const closest = closestName(key, known);
    throw new InvalidOptionError({
      option: key,
      value: (options as Record<string, unknown>)[key],
      expected: `one of the options of ${what}${closest ? ` — did you mean ${closest}?` : ''} (${known.join(', ')})`,
    });
  }
  return options;
}

/** Checks that `value` is undefined or a boolean. */
export function optionalBoolean(option: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new InvalidOptionError({ option, value, expected: 'true or false' });
}

/**
 * Checks that `value` is undefined or a function.
 * @typeParam T - The function type the caller takes `value` to be (not checked beyond `typeof`).
 */
export function optionalFunction<T extends (...parameters: never[]) => unknown>(
  option: string,
  value: unknown,
): T | undefined {
  if (value === undefined || typeof value === 'function') return value as T | undefined;
  throw new InvalidOptionError({ option, value, expected: 'a function' });
}

/** Checks that `value` is undefined or a non-empty string. */
export function optionalText(option: string, value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'string' && value.length > 0)) return value;
  throw new InvalidOptionError({ option, value, expected: 'a non-empty string' });
}

/** The known name nearest to `name` (case-insensitive edit distance ≤ 3, or a containment), if any. */
function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of known) {
    const other = candidate.toLowerCase();
    const distance =
      other.includes(lower) || lower.includes(other) ? 1 : editDistance(lower, other, bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(left: string, right: string, limit: number): number {
  if (Math.abs(left.length - right.length) >= limit) return limit;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    let smallest = row;
    for (let column = 1; column <= right.length; column++) {
      const substitution = (previous[column - 1] as number) + (left[row - 1] === right[column - 1] ? 0 : 1);
      const value = Math.min(
        substitution,
        (previous[column] as number) + 1,
        (current[column - 1] as number) + 1,
      );
      current.push(value);
      smallest = Math.min(smallest, value);
    }
    if (smallest >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[right.length] as number, limit);
}

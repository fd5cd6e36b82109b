import { InvalidOptionError } from '../errors/invalid-option-error.js';

/**
 * Checks the argument of a `retain(keep)` call: a Uint32Array of strictly ascending indices, each
 * below `length`. Backends call this before touching their cache.
 */
export function validateKeepIndices(keep: unknown, length: number): asserts keep is Uint32Array {
  if (!(keep instanceof Uint32Array)) {
    throw new InvalidOptionError({ option: 'retain(keep)', value: keep, expected: 'a Uint32Array' });
  }
  let previous = -1;
  for (let i = 0; i < keep.length; i++) {
    const index = keep[i] as number;
    if (index <= previous || index >= length) {
      throw new InvalidOptionError({
        option: 'retain(keep)',
        value: keep,
        expected: `strictly ascending indices below the resident length ${length} (entry ${i} is ${index})`,
      });
    }
    previous = index;
  }
}

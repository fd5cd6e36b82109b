import { CapacityExceededError } from '../errors/capacity-exceeded-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';

/**
 * Checks the token list decoded from a sequence snapshot before a backend restores it: every id inside
 * the vocabulary (skipped when `vocabularySize` is undefined, for formats that checked already) and no
 * more tokens than the new sequence's capacity. Backends call it from `restoreSequence`.
 */
export function validateRestoredTokens(
  snapshot: Uint8Array,
  tokens: ArrayLike<number>,
  { capacity, vocabularySize }: { capacity: number; vocabularySize?: number },
): void {
  if (vocabularySize !== undefined) {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as number;
      if (!Number.isInteger(token) || token < 0 || token >= vocabularySize) {
        throw new InvalidOptionError({
          option: 'snapshot',
          value: snapshot,
          expected: `token ids of this model's vocabulary of ${vocabularySize} (found ${token})`,
        });
      }
    }
  }
  if (tokens.length > capacity) {
    throw new CapacityExceededError({
      capacity,
      requested: tokens.length,
      hint: 'Restore into a sequence with a larger capacity.',
    });
  }
}

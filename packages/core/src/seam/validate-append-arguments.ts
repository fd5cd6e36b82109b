import { throwIfAborted } from '../errors/aborted-error.js';
import { CapacityExceededError } from '../errors/capacity-exceeded-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { normaliseSamplingOptions } from '../sampling/sample-token.js';
import type { AppendOptions } from './kv-sequence.js';
import type { SamplingOptions } from './sampling-options.js';

/**
 * Checks the arguments of a `KVSequence.append` call against the contract, for backends to call before
 * touching their cache: token ids inside the vocabulary, something to do (tokens, or `sample`), room in
 * the cache, a distribution to sample from, and a signal that is not aborted yet. Returns the sampling
 * options with defaults filled in (undefined when not sampling).
 */
export function validateAppendArguments(
  tokens: readonly number[],
  options: AppendOptions,
  { length, capacity, vocabularySize }: { length: number; capacity: number; vocabularySize: number },
): Required<SamplingOptions> | undefined {
  if (tokens === null || typeof tokens !== 'object' || typeof tokens.length !== 'number') {
    throw new InvalidOptionError({ option: 'tokens', value: tokens, expected: 'an array of token ids' });
  }
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (typeof token !== 'number' || !Number.isInteger(token) || token < 0 || token >= vocabularySize) {
      throw new InvalidOptionError({
        option: `tokens[${i}]`,
        value: token,
        expected: `a token id in [0, ${vocabularySize})`,
      });
    }
  }
  const sampling = options.sample === undefined ? undefined : normaliseSamplingOptions(options.sample);
  if (tokens.length === 0 && !sampling) {
    throw new InvalidOptionError({
      option: 'tokens',
      value: tokens,
      expected: 'at least one token, or options.sample',
    });
  }
  if (length + tokens.length > capacity) {
    throw new CapacityExceededError({
      capacity,
      requested: length + tokens.length,
      hint: 'Evict tokens with retain() before appending more.',
    });
  }
  if (sampling && length + tokens.length === 0) {
    throw new InvalidOptionError({
      option: 'sample',
      value: options.sample,
      expected: 'a non-empty sequence (there is no distribution before the first token)',
    });
  }
  throwIfAborted(options.signal, 'append');
  return sampling;
}

import { InvalidOptionError } from '@sirllm/core';

/** Throws `InvalidOptionError` unless every token is an integer id in `[0, vocabularySize)`. */
export function validateTokens(tokens: unknown, vocabularySize: number): asserts tokens is readonly number[] {
  if (!Array.isArray(tokens)) {
    throw new InvalidOptionError({
      option: 'append(tokens)',
      value: tokens,
      expected: 'an array of token ids',
    });
  }
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as unknown;
    if (typeof token !== 'number' || !Number.isInteger(token) || token < 0 || token >= vocabularySize) {
      throw new InvalidOptionError({
        option: `append(tokens[${i}])`,
        value: token,
        expected: `a token id: an integer in [0, ${vocabularySize})`,
      });
    }
  }
}

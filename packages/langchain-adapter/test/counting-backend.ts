import { type KVBackend, wrapBackend } from '@sirllm/core';

/** Wraps a backend and counts (and records, in order) the tokens its sequences are asked to evaluate. */
export function countingBackend(backend: KVBackend): {
  backend: KVBackend;
  evaluated: () => number;
  maximumLength: () => number;
  fed: () => number[];
} {
  let evaluated = 0;
  const fed: number[] = [];
  let maximumLength = 0;
  const counted = wrapBackend(backend, {
    sequence: {
      async append({ tokens, options, sequence, next }) {
        const result = await next(tokens, options);
        evaluated += tokens.length;
        fed.push(...tokens);
        maximumLength = Math.max(maximumLength, sequence.length);
        return result;
      },
    },
  });
  return { backend: counted, evaluated: () => evaluated, maximumLength: () => maximumLength, fed: () => fed };
}

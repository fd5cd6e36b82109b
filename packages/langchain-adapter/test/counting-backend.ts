import type { KVBackend, KVSequence } from '@sirllm/core';

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
  const counted: KVBackend = {
    specificationVersion: backend.specificationVersion,
    info: backend.info,
    ...(backend.chatTemplate ? { chatTemplate: backend.chatTemplate } : {}),
    tokenize: (text, options) => backend.tokenize(text, options),
    detokenize: (tokens) => backend.detokenize(tokens),
    dispose: () => backend.dispose(),
    createSequence: async (options) => count(await backend.createSequence(options)),
    ...(backend.restoreSequence
      ? { restoreSequence: async (bytes, options) => count(await backend.restoreSequence!(bytes, options)) }
      : {}),
  };
  function count(sequence: KVSequence): KVSequence {
    return {
      get capacity() {
        return sequence.capacity;
      },
      get length() {
        return sequence.length;
      },
      async append(tokens, appendOptions) {
        const result = await sequence.append(tokens, appendOptions);
        evaluated += tokens.length;
        fed.push(...tokens);
        maximumLength = Math.max(maximumLength, sequence.length);
        return result;
      },
      retain: (keep) => sequence.retain(keep),
      ...(sequence.snapshot ? { snapshot: () => sequence.snapshot!() } : {}),
      dispose: () => sequence.dispose(),
    };
  }
  return { backend: counted, evaluated: () => evaluated, maximumLength: () => maximumLength, fed: () => fed };
}

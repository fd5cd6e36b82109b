import type { CreateSequenceOptions, KVBackend } from '@sirllm/core';
import type { LlamaCppBackend, LlamaCppSequence } from '../src/index.js';

/** A backend that delegates to a llama.cpp backend and remembers the sequences it hands out. */
export function spyOn(backend: LlamaCppBackend): { backend: KVBackend; sequences: LlamaCppSequence[] } {
  const sequences: LlamaCppSequence[] = [];
  const remember = (sequence: LlamaCppSequence) => {
    sequences.push(sequence);
    return sequence;
  };
  const spy: KVBackend = {
    specificationVersion: 'v1',
    info: backend.info,
    tokenize: (text, options) => backend.tokenize(text, options),
    detokenize: (tokens) => backend.detokenize(tokens),
    createSequence: async (options: CreateSequenceOptions) => remember(await backend.createSequence(options)),
    restoreSequence: async (bytes, options) => remember(await backend.restoreSequence(bytes, options)),
    dispose: () => backend.dispose(),
  };
  return { backend: spy, sequences };
}

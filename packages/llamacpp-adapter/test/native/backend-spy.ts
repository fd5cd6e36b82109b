import { type KVBackend, type KVSequence, wrapBackend } from '@sirllm/core';
import type { LlamaCppBackend, LlamaCppSequence } from '../../src/index.js';

/** A backend that delegates to a llama.cpp backend and remembers the sequences it hands out. */
export function spyOn(backend: LlamaCppBackend): { backend: KVBackend; sequences: LlamaCppSequence[] } {
  const sequences: LlamaCppSequence[] = [];
  const remember = async (made: Promise<KVSequence>) => {
    const sequence = (await made) as LlamaCppSequence;
    sequences.push(sequence);
    return sequence;
  };
  const spy = wrapBackend(backend, {
    createSequence: ({ options, next }) => remember(next(options)),
    restoreSequence: ({ snapshot, options, next }) => remember(next(snapshot, options)),
  });
  return { backend: spy, sequences };
}

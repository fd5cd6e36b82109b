import { type KVBackend, wrapBackend } from '@sirllm/core';

/** Wall time spent inside a backend's sequence calls. */
export interface BackendClock {
  milliseconds: number;
  calls: number;
}

/**
 * Wraps a backend so that every `append` and `retain` of its sequences (created or restored) adds to
 * `clock`. Everything else, optional capabilities included (chat template, snapshots, constrained
 * sampling), is the backend's own.
 */
export function timedBackend(backend: KVBackend, clock: BackendClock): KVBackend {
  const timed = async <T>(run: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await run();
    } finally {
      clock.milliseconds += performance.now() - start;
      clock.calls++;
    }
  };
  return wrapBackend(backend, {
    sequence: {
      append: ({ tokens, options, next }) => timed(() => next(tokens, options)),
      retain: ({ keep, next }) => timed(() => next(keep)),
    },
  });
}

import type { AppendOptions, KVBackend, KVSequence } from '@sirllm/core';

/** Wall time spent inside a backend's sequence calls. */
export interface BackendClock {
  milliseconds: number;
  calls: number;
}

/** Wraps a backend so that every `append` and `retain` of its sequences adds to `clock`. */
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
  return {
    specificationVersion: backend.specificationVersion,
    info: backend.info,
    tokenize: (text, options) => backend.tokenize(text, options),
    detokenize: (tokens) => backend.detokenize(tokens),
    dispose: () => backend.dispose(),
    async createSequence(options): Promise<KVSequence> {
      const sequence = await backend.createSequence(options);
      return {
        get capacity() {
          return sequence.capacity;
        },
        get length() {
          return sequence.length;
        },
        append: (tokens: readonly number[], appendOptions?: AppendOptions) =>
          timed(() => sequence.append(tokens, appendOptions)),
        retain: (keep: Uint32Array) => timed(() => sequence.retain(keep)),
        dispose: () => sequence.dispose(),
      };
    },
  };
}

import { DisposedError } from '@sirllm/core';
import { describe, it } from 'vitest';
import type { ConformanceHarness } from '../conformance-harness.js';
import { expectRejection } from '../expect-rejection.js';

/** Disposed sequences and backends reject every call with `DisposedError`; dispose is idempotent. */
export function disposeChecks(harness: ConformanceHarness): void {
  describe('dispose', () => {
    it('a disposed sequence rejects every call', async () => {
      const { tokens, sequence } = await harness.startedSequence(60, 8, 4);
      await sequence.dispose();
      await sequence.dispose();
      await expectRejection(() => sequence.append(tokens.slice(4)), DisposedError, 'append after dispose');
      await expectRejection(() => sequence.retain(Uint32Array.of(0)), DisposedError, 'retain after dispose');
      if (sequence.snapshot) {
        await expectRejection(() => sequence.snapshot?.(), DisposedError, 'snapshot after dispose');
      }
    });

    it('a disposed backend rejects new sequences and disposes its sequences', async () => {
      const subject = await harness.freshSubject();
      try {
        const sequence = await subject.backend.createSequence({ capacity: 8 });
        await subject.backend.dispose();
        await subject.backend.dispose();
        await expectRejection(
          () => subject.backend.createSequence({ capacity: 8 }),
          DisposedError,
          'createSequence',
        );
        await expectRejection(
          () => sequence.append([0]),
          DisposedError,
          'append on a sequence of a disposed backend',
        );
      } finally {
        await (subject.dispose ? subject.dispose() : subject.backend.dispose());
      }
    });
  });
}

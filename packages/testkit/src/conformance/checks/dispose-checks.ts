import { DisposedError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceHarness } from '../conformance-harness.js';
import { expectRejection } from '../expect-rejection.js';

/**
 * Disposed sequences and backends reject every call with `DisposedError`; dispose is idempotent, and a
 * disposed sequence holds nothing (`length` 0), even when it was disposed during an append.
 */
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
      expect(sequence.length).toBe(0);
    });

    it('a sequence disposed during a long append rejects that append with DisposedError (or it completed), and later calls with DisposedError', async () => {
      const capacity = Math.max(harness.capacity, 160);
      const { tokens, sequence } = await harness.startedSequence(52, 150, 5, capacity);
      // A signal that never fires: with one, a synchronous backend lets the event loop run mid-append.
      const controller = new AbortController();
      const pending = sequence.append(tokens.slice(5, 145), { signal: controller.signal });
      const disposed = new Promise<void>((resolve, reject) => {
        setTimeout(() => sequence.dispose().then(resolve, reject), 0);
      });
      // A fast backend may finish the append before the dispose lands; any error but DisposedError fails.
      await pending.catch((error: unknown) => {
        if (!DisposedError.isInstance(error)) throw error;
      });
      await disposed;
      expect(sequence.length).toBe(0);
      await expectRejection(() => sequence.append(tokens.slice(145)), DisposedError, 'append after dispose');
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
        expect(sequence.length).toBe(0);
      } finally {
        await (subject.dispose ? subject.dispose() : subject.backend.dispose());
      }
    });
  });
}

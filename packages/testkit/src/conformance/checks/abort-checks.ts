import { AbortedError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceHarness } from '../conformance-harness.js';
import { expectRejection } from '../expect-rejection.js';

/** A cancelled append rejects with `AbortedError` and is all-or-nothing. */
export function abortChecks(harness: ConformanceHarness): void {
  describe('abort', () => {
    it('an already aborted signal rejects and changes nothing', async () => {
      const { tokens, sequence } = await harness.startedSequence(50, 20, 10);
      const controller = new AbortController();
      controller.abort();
      await expectRejection(
        () => sequence.append(tokens.slice(10, 15), { signal: controller.signal }),
        AbortedError,
        'append with an aborted signal',
      );
      expect(sequence.length).toBe(10);
      await harness.expectContinuation(sequence, tokens.slice(0, 10), tokens.slice(10), 'after abort');
    });

    it('an abort during a long append leaves all of it or none of it', async () => {
      const capacity = Math.max(harness.capacity, 160);
      const { tokens, sequence } = await harness.startedSequence(51, 150, 5, capacity);
      const controller = new AbortController();
      const pending = sequence.append(tokens.slice(5, 145), { signal: controller.signal });
      setTimeout(() => controller.abort(), 0);
      let aborted = false;
      try {
        await pending;
      } catch (error) {
        if (!AbortedError.isInstance(error)) throw error;
        aborted = true;
      }
      const resident = aborted ? 5 : 145;
      expect(sequence.length).toBe(resident);
      await harness.expectContinuation(
        sequence,
        tokens.slice(0, resident),
        tokens.slice(145),
        `after ${aborted ? 'an abort' : 'a completed append'}`,
      );
    });
  });
}

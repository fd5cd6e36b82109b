import { SessionBusyError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceHarness } from '../conformance-harness.js';
import { expectRejection } from '../expect-rejection.js';

/**
 * Calls on one sequence are not concurrent (the seam's rule): a call made while another runs is refused
 * with `SessionBusyError` and changes nothing; the running call completes as if alone.
 */
export function busyChecks(harness: ConformanceHarness): void {
  describe('busy', () => {
    it('a call while an append runs is refused with SessionBusyError, and the append completes', async () => {
      const { tokens, sequence } = await harness.startedSequence(70, 40, 4);
      // Every call starts before anything is awaited: a backend may finish an append within one tick.
      const running = sequence.append(tokens.slice(4, 30));
      const secondAppend = sequence.append(tokens.slice(30, 32));
      const retainMeanwhile = sequence.retain(Uint32Array.of(0));
      await expectRejection(() => secondAppend, SessionBusyError, 'append during append');
      await expectRejection(() => retainMeanwhile, SessionBusyError, 'retain during append');
      await running;
      expect(sequence.length).toBe(30);
      await harness.expectContinuation(sequence, tokens.slice(0, 30), tokens.slice(30), 'after the refusals');
    });
  });
}

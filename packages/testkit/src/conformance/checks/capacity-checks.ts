import { CapacityExceededError, InvalidOptionError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceHarness } from '../conformance-harness.js';
import { expectRejection } from '../expect-rejection.js';

/** Sequences hold exactly `capacity` tokens and refuse bad capacities. */
export function capacityChecks(harness: ConformanceHarness): void {
  describe('capacity', () => {
    it('refuses to append past capacity and changes nothing', async () => {
      const tokens = harness.fixtures(30).tokens(12);
      const sequence = await harness.sequence(8);
      expect(sequence.capacity).toBe(8);
      await sequence.append(tokens.slice(0, 6));
      await expectRejection(
        () => sequence.append(tokens.slice(6, 9)),
        CapacityExceededError,
        'append 3 into 2 free cells',
      );
      expect(sequence.length).toBe(6);
      await harness.expectContinuation(sequence, tokens.slice(0, 6), tokens.slice(6, 8), 'after refusal');
      expect(sequence.length).toBe(8);
      await expectRejection(
        () => sequence.append(tokens.slice(8, 9)),
        CapacityExceededError,
        'append into a full sequence',
      );
      expect(sequence.length).toBe(8);
      await sequence.retain(Uint32Array.of(0, 2, 4, 6));
      await sequence.append(tokens.slice(8, 12));
      expect(sequence.length).toBe(8);
    });

    it('refuses capacities that are not positive integers it can fit', async () => {
      for (const capacity of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
        await expectRejection(
          () => harness.backend.createSequence({ capacity }),
          InvalidOptionError,
          `createSequence({ capacity: ${capacity} })`,
        );
      }
    });
  });
}

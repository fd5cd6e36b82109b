import { describe, expect, it } from 'vitest';
import type { ConformanceHarness } from '../conformance-harness.js';
import { assertClose, expectedSurprisal } from '../surprisal-expectations.js';
import { prefixIndices } from '../token-fixtures.js';

/** Eviction with position compaction, and tail rollback. */
export function compactionChecks(harness: ConformanceHarness): void {
  describe('compaction', () => {
    it('1 layer: evicting arbitrary tokens, then appending, equals a fresh forward over the kept ones', async (context) => {
      if (harness.model.config.layers !== 1) {
        context.skip('deeper models legitimately differ: kept tokens carry context from evicted ones');
        return;
      }
      const fixtures = harness.fixtures(10);
      const sequence = await harness.sequence();
      let resident = fixtures.tokens(40);
      await sequence.append(resident);
      for (const [round, fraction] of [0.6, 0.3, 0.8, 0.5].entries()) {
        const keep = fixtures.keepSet(resident.length, fraction);
        await sequence.retain(keep);
        resident = Array.from(keep, (index) => resident[index] as number);
        expect(sequence.length).toBe(resident.length);
        const fed = fixtures.tokens(Math.min(8, harness.capacity - resident.length));
        const { surprisal } = await sequence.append(fed);
        assertClose(
          surprisal,
          expectedSurprisal(harness.model, resident, fed),
          harness.tolerance,
          `round ${round}`,
        );
        resident = [...resident, ...fed];
      }
    });

    it('retaining every token changes nothing', async () => {
      const { tokens, sequence } = await harness.startedSequence(11, 30, 20);
      await sequence.retain(prefixIndices(20));
      expect(sequence.length).toBe(20);
      await harness.expectContinuation(sequence, tokens.slice(0, 20), tokens.slice(20), 'after retain(all)');
    });

    it('retaining nothing empties the sequence', async () => {
      const { tokens, sequence } = await harness.startedSequence(12, 30, 20);
      await sequence.retain(new Uint32Array(0));
      expect(sequence.length).toBe(0);
      const { surprisal } = await sequence.append(tokens.slice(20));
      expect(surprisal[0]).toBe(Number.POSITIVE_INFINITY);
      assertClose(
        surprisal,
        expectedSurprisal(harness.model, [], tokens.slice(20)),
        harness.tolerance,
        'after retain([])',
      );
    });

    it('rolling back a tail equals never having appended it, at every depth', async () => {
      const fixtures = harness.fixtures(13);
      const prefix = fixtures.tokens(24);
      const continuation = fixtures.tokens(6);
      const sequence = await harness.sequence();
      await sequence.append(prefix);
      for (const depth of [1, 3, 17, 23]) {
        await sequence.append(fixtures.tokens(depth));
        await sequence.retain(prefixIndices(prefix.length));
        expect(sequence.length).toBe(prefix.length);
      }
      // Roll back part of the prefix itself, twice in a row.
      await sequence.retain(prefixIndices(20));
      await sequence.retain(prefixIndices(16));
      const kept = prefix.slice(0, 16);
      await harness.expectContinuation(sequence, kept, continuation, 'after rollback');
      await sequence.retain(prefixIndices(1));
      const again = await sequence.append(continuation);
      assertClose(
        again.surprisal,
        expectedSurprisal(harness.model, kept.slice(0, 1), continuation),
        harness.tolerance,
        'rollback to one token',
      );
    });

    it('rolling back after an eviction equals never having appended the tail', async () => {
      const fixtures = harness.fixtures(14);
      const history = fixtures.tokens(32);
      const keep = fixtures.keepSet(history.length, 0.5);
      const middle = fixtures.tokens(5);
      const tail = fixtures.tokens(9);
      const continuation = fixtures.tokens(6);
      const rolledBack = await harness.sequence();
      const direct = await harness.sequence();
      for (const sequence of [rolledBack, direct]) {
        await sequence.append(history);
        await sequence.retain(keep);
        await sequence.append(middle);
      }
      await rolledBack.append(tail);
      await rolledBack.retain(prefixIndices(keep.length + middle.length));
      const expected = await direct.append(continuation);
      const actual = await rolledBack.append(continuation);
      assertClose(actual.surprisal, expected.surprisal, harness.tolerance, 'rolled back vs never appended');
    });
  });
}

import { CapacityExceededError, encodeSnapshotEnvelope, InvalidOptionError, SirLLMError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceHarness } from '../conformance-harness.js';
import { expectRejection } from '../expect-rejection.js';
import { assertClose, expectedSurprisal } from '../surprisal-expectations.js';

/** Where a backend persists sequences: a restored sequence continues exactly; bad bytes are refused. */
export function snapshotChecks(harness: ConformanceHarness): void {
  describe('snapshot', () => {
    it('a restored snapshot continues like the original', async (context) => {
      const sequence = await harness.sequence();
      const restore = harness.backend.restoreSequence?.bind(harness.backend);
      if (!sequence.snapshot || !restore) {
        context.skip('the backend does not persist sequences');
        return;
      }
      const fixtures = harness.fixtures(70);
      const tokens = fixtures.tokens(30);
      await sequence.append(tokens.slice(0, 24));
      const bytes = await sequence.snapshot();
      expect(bytes).toBeInstanceOf(Uint8Array);
      const restored = harness.track(await restore(bytes, { capacity: harness.capacity }));
      expect(restored.length).toBe(24);
      const original = await sequence.append(tokens.slice(24));
      const continued = await restored.append(tokens.slice(24));
      assertClose(continued.surprisal, original.surprisal, harness.tolerance, 'restored vs original');
      assertClose(
        continued.surprisal,
        expectedSurprisal(harness.model, tokens.slice(0, 24), tokens.slice(24)),
        harness.tolerance,
        'restored vs reference',
      );

      // A snapshot taken right after an eviction continues like the evicted original.
      const keep = fixtures.keepSet(restored.length, 0.5);
      await restored.retain(keep);
      await sequence.retain(keep);
      const afterEviction = harness.track(
        await restore((await restored.snapshot?.()) ?? new Uint8Array(), { capacity: harness.capacity }),
      );
      const next = fixtures.tokens(5);
      assertClose(
        (await afterEviction.append(next)).surprisal,
        (await sequence.append(next)).surprisal,
        harness.tolerance,
        'restored after eviction',
      );
    });

    it('refuses truncated, corrupted, foreign-kind or oversized snapshots', async (context) => {
      const sequence = await harness.sequence();
      const restore = harness.backend.restoreSequence?.bind(harness.backend);
      if (!sequence.snapshot || !restore) {
        context.skip('the backend does not persist sequences');
        return;
      }
      await sequence.append(harness.fixtures(71).tokens(20));
      const bytes = await sequence.snapshot();
      const truncated = bytes.slice(0, Math.floor(bytes.length / 2));
      const corrupted = bytes.slice();
      const middle = Math.floor(corrupted.length / 2);
      corrupted[middle] = (corrupted[middle] as number) ^ 0x5a;
      await expectRejection(
        () => restore(truncated, { capacity: harness.capacity }),
        SirLLMError,
        'truncated snapshot',
      );
      await expectRejection(
        () => restore(corrupted, { capacity: harness.capacity }),
        SirLLMError,
        'corrupted snapshot',
      );
      await expectRejection(
        () => restore(new Uint8Array(0), { capacity: harness.capacity }),
        InvalidOptionError,
        'empty snapshot',
      );
      // A well-formed snapshot of this model, but of another kind: a session's, not a sequence's.
      const session = encodeSnapshotEnvelope(
        { kind: 'session', fingerprint: harness.backend.info.fingerprint, payloadVersion: 1 },
        bytes,
      );
      await expectRejection(
        () => restore(session, { capacity: harness.capacity }),
        InvalidOptionError,
        'session snapshot given as a sequence snapshot',
      );
      await expectRejection(
        () => restore(bytes, { capacity: 10 }),
        CapacityExceededError,
        'snapshot larger than capacity',
      );
    });
  });
}

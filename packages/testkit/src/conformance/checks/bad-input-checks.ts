import { InvalidOptionError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceHarness } from '../conformance-harness.js';
import { expectRejection } from '../expect-rejection.js';

/** Bad arguments reject with typed errors and leave the sequence as it was. */
export function badInputChecks(harness: ConformanceHarness): void {
  describe('bad input', () => {
    it('refuses token ids outside the vocabulary and changes nothing', async () => {
      const { tokens, sequence } = await harness.startedSequence(40, 16, 10);
      const vocabularySize = harness.model.config.vocabularySize;
      for (const bad of [vocabularySize, -1, 1.5, Number.NaN]) {
        await expectRejection(
          () => sequence.append([tokens[10] as number, bad]),
          InvalidOptionError,
          `token ${bad}`,
        );
        expect(sequence.length).toBe(10);
      }
      await expectRejection(() => sequence.append([]), InvalidOptionError, 'append([]) without sample');
      await expectRejection(
        () => sequence.append([tokens[10] as number], { sample: { temperature: -1 } }),
        InvalidOptionError,
        'temperature −1',
      );
      expect(sequence.length).toBe(10);
      await harness.expectContinuation(sequence, tokens.slice(0, 10), tokens.slice(10), 'after refusals');
    });

    it('refuses keep indices that are not strictly ascending resident indices and changes nothing', async () => {
      const { tokens, sequence } = await harness.startedSequence(41, 16, 10);
      const badKeeps: [string, unknown][] = [
        ['descending', Uint32Array.of(0, 2, 1)],
        ['duplicate', Uint32Array.of(0, 3, 3)],
        ['past the end', Uint32Array.of(0, 10)],
        ['not a Uint32Array', [0, 1, 2]],
      ];
      for (const [label, keep] of badKeeps) {
        await expectRejection(
          () => sequence.retain(keep as Uint32Array),
          InvalidOptionError,
          `retain: ${label}`,
        );
        expect(sequence.length).toBe(10);
      }
      await harness.expectContinuation(sequence, tokens.slice(0, 10), tokens.slice(10), 'after refusals');
    });
  });
}

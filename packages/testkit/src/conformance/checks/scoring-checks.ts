import { argmaxOf, logSoftmax, surprisalFromLogits } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceHarness } from '../conformance-harness.js';
import { assertClose, expectedNextLogits, expectedSurprisal } from '../surprisal-expectations.js';

/** Surprisal and argmax against a fresh reference forward pass. */
export function scoringChecks(harness: ConformanceHarness): void {
  describe('scoring', () => {
    it('describes the model it runs', () => {
      const { backend, model } = harness;
      expect(backend.specificationVersion).toBe('v1');
      expect(backend.info.vocabularySize).toBe(model.config.vocabularySize);
      expect(backend.info.positionShift).not.toBe('unsupported');
      for (const token of backend.info.specialTokens.endOfGeneration) {
        expect(Number.isInteger(token) && token >= 0 && token < model.config.vocabularySize).toBe(true);
      }
    });

    it('scores a chunked append like one fresh forward pass', async () => {
      const tokens = harness.fixtures(1).tokens(48);
      const sequence = await harness.sequence();
      const surprisal: number[] = [];
      let fed = 0;
      for (const size of [1, 5, 11, 31]) {
        const result = await sequence.append(tokens.slice(fed, fed + size));
        expect(result.surprisal).toBeInstanceOf(Float32Array);
        expect(result.surprisal.length).toBe(size);
        surprisal.push(...result.surprisal);
        fed += size;
        expect(sequence.length).toBe(fed);
      }
      expect(surprisal[0]).toBe(Number.POSITIVE_INFINITY);
      assertClose(surprisal, expectedSurprisal(harness.model, [], tokens), harness.tolerance, 'surprisal');
    });

    it('reports the argmax after every fed token', async () => {
      const { tokens, sequence } = await harness.startedSequence(2, 24, 8);
      const result = await sequence.append(tokens.slice(8), { argmax: true });
      expect(result.argmax).toBeInstanceOf(Int32Array);
      const rows = tokens
        .slice(8)
        .map((_, index) => expectedNextLogits(harness.model, tokens.slice(0, 9 + index)));
      rows.forEach((row, index) => {
        if (isClearWinner(row, harness.tolerance)) expect(result.argmax?.[index]).toBe(argmaxOf(row));
      });
    });

    it('samples the next token without feeding it when given no tokens', async () => {
      const tokens = harness.fixtures(3).tokens(20);
      const sequence = await harness.sequence();
      await sequence.append(tokens);
      const result = await sequence.append([], { sample: { temperature: 0 } });
      expect(result.surprisal.length).toBe(0);
      expect(sequence.length).toBe(tokens.length);
      const row = expectedNextLogits(harness.model, tokens);
      const next = result.next;
      if (!next) throw new Error('append with sample returned no next token');
      if (isClearWinner(row, harness.tolerance)) expect(next.token).toBe(argmaxOf(row));
      assertClose(
        [next.surprisal],
        [surprisalFromLogits(row, next.token)],
        harness.tolerance,
        'next.surprisal',
      );
    });
  });
}

/** True when the top token beats the runner-up by clearly more than numerical noise. */
export function isClearWinner(row: Float64Array, tolerance: number): boolean {
  const logProbabilities = logSoftmax(row);
  const sorted = [...logProbabilities].sort((a, b) => b - a);
  return (sorted[0] as number) - (sorted[1] as number) > 100 * tolerance;
}

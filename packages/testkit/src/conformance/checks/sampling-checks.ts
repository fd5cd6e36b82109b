import { argmaxOf, type KVSequence, type SamplingOptions, surprisalFromLogits } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { referenceForward } from '../../reference-backend/reference-forward.js';
import type { ConformanceHarness } from '../conformance-harness.js';
import { assertClose } from '../surprisal-expectations.js';
import { isClearWinner } from './scoring-checks.js';

/** Feeds `prompt`, then samples `count` tokens, feeding each back. Returns tokens and their surprisal. */
async function generate(
  sequence: KVSequence,
  prompt: readonly number[],
  count: number,
  sample: SamplingOptions,
) {
  let next = (await sequence.append(prompt, { sample })).next;
  const tokens: number[] = [];
  const surprisal: number[] = [];
  for (let step = 0; step < count; step++) {
    if (!next) throw new Error('append with sample returned no next token');
    tokens.push(next.token);
    surprisal.push(next.surprisal);
    if (step + 1 < count) next = (await sequence.append([next.token], { sample })).next;
  }
  return { tokens, surprisal };
}

/** Greedy and seeded sampling are reproducible and score sampled tokens under the raw distribution. */
export function samplingChecks(harness: ConformanceHarness): void {
  describe('sampling', () => {
    it('greedy decoding is deterministic and picks the most probable token', async () => {
      const prompt = harness.fixtures(20).tokens(12);
      const first = await generate(await harness.sequence(), prompt, 12, { temperature: 0 });
      const second = await generate(await harness.sequence(), prompt, 12, { temperature: 0 });
      expect(second.tokens).toEqual(first.tokens);
      const rows = referenceForward(harness.model, [...prompt, ...first.tokens]);
      first.tokens.forEach((token, step) => {
        const row = rows[prompt.length - 1 + step] as Float64Array;
        if (isClearWinner(row, harness.tolerance)) expect(token).toBe(argmaxOf(row));
      });
      const expected = first.tokens.map((token, step) =>
        surprisalFromLogits(rows[prompt.length - 1 + step] as Float64Array, token),
      );
      assertClose(first.surprisal, expected, harness.tolerance, 'greedy next.surprisal');
    });

    it('seeded sampling is deterministic and reports raw-distribution surprisal', async () => {
      const prompt = harness.fixtures(21).tokens(12);
      const sample = { temperature: 1.2, topK: 40, topP: 0.95, seed: 1234 };
      const first = await generate(await harness.sequence(), prompt, 16, sample);
      const second = await generate(await harness.sequence(), prompt, 16, sample);
      expect(second.tokens).toEqual(first.tokens);
      for (const token of first.tokens)
        expect(token >= 0 && token < harness.model.config.vocabularySize).toBe(true);
      const rows = referenceForward(harness.model, [...prompt, ...first.tokens]);
      const expected = first.tokens.map((token, step) =>
        surprisalFromLogits(rows[prompt.length - 1 + step] as Float64Array, token),
      );
      assertClose(first.surprisal, expected, harness.tolerance, 'sampled next.surprisal');
    });
  });
}

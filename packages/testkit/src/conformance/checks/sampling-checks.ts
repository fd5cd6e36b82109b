import {
  argmaxOf,
  type KVSequence,
  normaliseSamplingOptions,
  type SamplingOptions,
  samplingCandidates,
  samplingRandom,
  surprisalFromLogits,
} from '@sirllm/core';
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

/**
 * The tokens core's sampler may pick from `row` with a draw within `margin` of `u`: every candidate
 * whose cumulative-probability interval meets [u − margin, u + margin]. With margin 0, exactly the
 * token `sampleNext` picks.
 */
function tokensNearDraw(row: Float64Array, sample: SamplingOptions, u: number, margin: number): number[] {
  const { tokens, probabilities } = samplingCandidates(row, normaliseSamplingOptions(sample));
  const near: number[] = [];
  let start = 0;
  for (let i = 0; i < tokens.length; i++) {
    const end = start + (probabilities[i] as number);
    const last = i === tokens.length - 1;
    if ((u + margin >= start && u - margin < end) || (last && u - margin >= end))
      near.push(tokens[i] as number);
    start = end;
  }
  return near;
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

    it("seeded sampling picks what core's sampler picks from the reference logits (the same tokens on every backend)", async () => {
      // Every backend picks with `sampleNext`, draw k of a sequence from samplingRandom(seed, k), so
      // the reference forward's logits and the same draws predict each sampled token. A draw that falls
      // within the backend's logit tolerance of a boundary between two candidates may land on either.
      const prompt = harness.fixtures(22).tokens(10);
      const temperature = 0.8;
      const margin = (4 * harness.tolerance) / temperature;
      let exact = 0;
      let steps = 0;
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const sample = { temperature, seed };
        const { tokens } = await generate(await harness.sequence(), prompt, 12, sample);
        const rows = referenceForward(harness.model, [...prompt, ...tokens]);
        tokens.forEach((token, draw) => {
          const row = rows[prompt.length - 1 + draw] as Float64Array;
          const u = samplingRandom(seed, draw).next();
          const near = tokensNearDraw(row, sample, u, margin);
          const label = `seed ${seed}, draw ${draw}: token ${token}, reference picks ${near.join(' or ')}`;
          expect(near, label).toContain(token);
          steps++;
          if (near.length === 1) exact++;
        });
      }
      // Not vacuous: most draws are far from any boundary, so most tokens are pinned exactly.
      expect(exact).toBeGreaterThanOrEqual(steps / 2);
    });
  });
}

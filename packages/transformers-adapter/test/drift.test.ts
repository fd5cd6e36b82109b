import { createRandom } from '@sirllm/core';
import { createTinyLlama, referenceForward } from '@sirllm/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransformersBackend, type TransformersBackend } from '../src/index.js';
import { maximumDifference } from './maximum-difference.js';
import { stayOffline, writeTestModel } from './write-test-model.js';

await stayOffline();

const compactions = 1000;

interface Scenario {
  readonly label: string;
  readonly capacity: number;
  /** Index to evict this round, given the resident length. */
  readonly evict: (length: number, draw: number) => number;
}

// Random: evict one random non-sink token per round (keys move a few dozen times in their life).
// Worst case: evict the token right after the sink every round, from a cache of 1,001 tokens, so the
// oldest keys are moved 1,000 times before they leave.
const scenarios: Scenario[] = [
  {
    label: 'random evictions, capacity 40',
    capacity: 40,
    evict: (length, draw) => 1 + Math.floor(draw * (length - 1)),
  },
  { label: 'every key moved up to 1,000 times, capacity 1,002', capacity: 1002, evict: () => 1 },
];

// Accumulated rounding: 1,000 successive compactions on the 1-layer model (evict one token, append
// one), then the logits after the last resident token against a fresh float64 forward of the resident
// tokens at positions 0..n−1.
for (const { cacheType, tolerance, rotateFromOriginalKeys } of [
  { cacheType: 'float32', tolerance: 1e-3, rotateFromOriginalKeys: false },
  { cacheType: 'float32', tolerance: 1e-3, rotateFromOriginalKeys: true },
  { cacheType: 'float16', tolerance: 2e-2, rotateFromOriginalKeys: true },
] as const) {
  const mode = `${cacheType} cache, ${rotateFromOriginalKeys ? 'rotated from original keys' : 'rotated in place'}`;
  describe(`drift over ${compactions} compactions (${mode})`, () => {
    const model = createTinyLlama({ hiddenSize: 64 });
    const folder = writeTestModel(model, { cacheType });
    let backend: TransformersBackend;
    beforeAll(async () => {
      backend = await createTransformersBackend({
        model: folder.path,
        dtype: cacheType === 'float16' ? 'fp16' : 'fp32',
        threads: 1,
        chunkSize: 256,
        rotateFromOriginalKeys,
      });
    });
    afterAll(async () => {
      await backend.dispose();
      folder.remove();
    });

    for (const scenario of scenarios) {
      it(`${scenario.label}: logits still match a fresh forward of the kept tokens`, async () => {
        const random = createRandom(7);
        const vocabularySize = model.config.vocabularySize;
        const token = () => Math.floor(random.next() * vocabularySize);
        const sequence = await backend.createSequence({ capacity: scenario.capacity });
        await sequence.append(Array.from({ length: scenario.capacity - 1 }, token));
        const errors: string[] = [];
        let worst = 0;
        for (let round = 1; round <= compactions; round++) {
          const evicted = scenario.evict(sequence.length, random.next());
          const keep = Uint32Array.from({ length: sequence.length - 1 }, (_, i) => (i < evicted ? i : i + 1));
          await sequence.retain(keep);
          await sequence.append([token()]);
          if (round % 250 === 0) {
            const logits = (await sequence.nextTokenLogits()) as Float32Array;
            const expected = referenceForward(model, Array.from(sequence.residentTokens())).at(
              -1,
            ) as Float64Array;
            const error = maximumDifference(logits, expected);
            worst = Math.max(worst, error);
            errors.push(`${round}: ${error.toExponential(2)}`);
          }
        }
        console.info(
          `[drift ${mode}; ${scenario.label}] max |logit − fresh float64 forward| after n compactions: ${errors.join(', ')}`,
        );
        expect(worst).toBeLessThanOrEqual(tolerance);
      });
    }
  });
}

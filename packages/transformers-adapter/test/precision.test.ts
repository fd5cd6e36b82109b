import { createRandom } from '@sirllm/core';
import { createTinyLlama, referenceForward } from '@sirllm/testkit';
import { expectedSurprisal } from '@sirllm/testkit/conformance';
import { describe, expect, it } from 'vitest';
import { createTransformersBackend } from '../src/index.js';
import { stayOffline, writeTestModel } from './write-test-model.js';

await stayOffline();

// Measured error against the float64 reference (printed for the docs): surprisal of 48 fed tokens, then
// the logits after an eviction, for both export styles and both cache types.
const variants = [
  { style: 'position-ids', cacheType: 'float32', bound: 1e-4 },
  { style: 'group-query-attention', cacheType: 'float32', bound: 1e-4 },
  { style: 'position-ids', cacheType: 'float16', bound: 2e-2 },
  { style: 'group-query-attention', cacheType: 'float16', bound: 2e-2 },
  { style: 'group-query-attention', cacheType: 'float16', logitsType: 'float16', bound: 2e-2 },
] as const;

describe('measured precision against the float64 reference', () => {
  for (const variant of variants) {
    const { style, cacheType, bound } = variant;
    const logitsType = 'logitsType' in variant ? variant.logitsType : 'float32';
    it(`${style}, ${cacheType} cache, ${logitsType} logits`, async () => {
      const model = createTinyLlama({ hiddenSize: 64 });
      const folder = writeTestModel(model, { style, cacheType, logitsType });
      const backend = await createTransformersBackend({
        model: folder.path,
        dtype: cacheType === 'float16' ? 'fp16' : 'fp32',
        threads: 1,
        chunkSize: 16,
      });
      try {
        const random = createRandom(11);
        const tokens = Array.from({ length: 48 }, () =>
          Math.floor(random.next() * model.config.vocabularySize),
        );
        const sequence = await backend.createSequence({ capacity: 64 });
        const { surprisal } = await sequence.append(tokens);
        const expected = expectedSurprisal(model, [], tokens);
        let surprisalError = 0;
        for (let i = 1; i < tokens.length; i++) {
          surprisalError = Math.max(
            surprisalError,
            Math.abs((surprisal[i] as number) - (expected[i] as number)),
          );
        }
        const keep = Uint32Array.from(tokens.keys()).filter((index) => index % 3 !== 1);
        await sequence.retain(keep);
        const logits = (await sequence.nextTokenLogits()) as Float32Array;
        const fresh = referenceForward(
          model,
          Array.from(keep, (index) => tokens[index] as number),
        ).at(-1) as Float64Array;
        let logitError = 0;
        for (let v = 0; v < fresh.length; v++) {
          logitError = Math.max(logitError, Math.abs((logits[v] as number) - (fresh[v] as number)));
        }
        console.info(
          `[precision ${style}, ${cacheType} cache, ${logitsType} logits] max surprisal error ${surprisalError.toExponential(2)}, ` +
            `max logit error after eviction ${logitError.toExponential(2)}`,
        );
        expect(surprisalError).toBeLessThanOrEqual(bound);
        expect(logitError).toBeLessThanOrEqual(bound);
      } finally {
        await backend.dispose();
        folder.remove();
      }
    });
  }
});

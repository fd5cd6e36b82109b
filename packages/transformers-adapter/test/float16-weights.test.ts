import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom } from '@sirllm/core';
import { createTinyLlama, withFloat16Matrices } from '@sirllm/testkit';
import { expectedSurprisal } from '@sirllm/testkit/conformance';
import { describe, expect, it } from 'vitest';
import { createTransformersBackend } from '../src/index.js';
import { maximumDifference } from './maximum-difference.js';
import { stayOffline, writeTestModel } from './write-test-model.js';

await stayOffline();

describe('an ONNX export with float16-stored weights', () => {
  it('computes in float32 with the float16-rounded matrices, stored in two bytes each', async () => {
    const model = createTinyLlama({ hiddenSize: 64, layers: 2 });
    const halfWeights = writeTestModel(model, { weightType: 'float16' });
    const fullWeights = writeTestModel(model);
    const backend = await createTransformersBackend({ model: halfWeights.path, dtype: 'fp32', threads: 1 });
    try {
      const random = createRandom(5);
      const tokens = Array.from({ length: 40 }, () =>
        Math.floor(random.next() * model.config.vocabularySize),
      );
      const sequence = await backend.createSequence({ capacity: 64 });
      const { surprisal } = await sequence.append(tokens);
      const againstRounded = maximumDifference(
        surprisal,
        expectedSurprisal(withFloat16Matrices(model), [], tokens),
        1, // the first token has no surprisal
      );
      const againstOriginal = maximumDifference(surprisal, expectedSurprisal(model, [], tokens), 1);
      console.info(
        `[float16 weights] surprisal vs float64 reference of the rounded weights ${againstRounded.toExponential(2)}, ` +
          `of the original weights ${againstOriginal.toExponential(2)}`,
      );
      expect(againstRounded).toBeLessThan(1e-4);
      // The rounding is real: the original weights give measurably different numbers.
      expect(againstOriginal).toBeGreaterThan(10 * againstRounded);
      // Every matrix element is stored in two bytes instead of four (tied model: the embedding once).
      const size = (folder: string) => statSync(join(folder, 'onnx', 'model.onnx')).size;
      const matrixElements = [...model.tensors.values()]
        .filter((tensor) => tensor.shape.length === 2)
        .reduce((total, tensor) => total + tensor.data.length, 0);
      const saved = size(fullWeights.path) - size(halfWeights.path);
      expect(saved).toBeGreaterThan(0.97 * 2 * matrixElements); // less a Cast node per matrix
      expect(saved).toBeLessThanOrEqual(2 * matrixElements);
    } finally {
      await backend.dispose();
      halfWeights.remove();
      fullWeights.remove();
    }
  });
});

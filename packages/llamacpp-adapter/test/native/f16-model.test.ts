import { createRandom } from '@sirllm/core';
import { createTinyLlama, float16Bits, type TinyLlamaModel } from '@sirllm/testkit';
import { expectedSurprisal } from '@sirllm/testkit/conformance';
import { expect, it } from 'vitest';
import { openTestBackend, writeTinyModel } from './gguf-fixtures.js';

/** The value a float16 bit pattern stands for. */
function halfValue(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  const sign = bits & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** The same model with every matrix rounded to float16, as the F16 GGUF stores it. */
function roundedToHalf(model: TinyLlamaModel): TinyLlamaModel {
  const tensors = new Map(
    [...model.tensors].map(([name, tensor]) => [
      name,
      tensor.shape.length === 1
        ? tensor
        : { shape: tensor.shape, data: tensor.data.map((value) => halfValue(float16Bits(value))) },
    ]),
  );
  return { config: model.config, tensors };
}

it('an F16 GGUF loads and scores like the reference on the half-rounded weights', async () => {
  const options = { seed: 61, layers: 2 };
  const { path } = writeTinyModel(options, { tensorType: 'f16' });
  const backend = await openTestBackend(path, 128);
  try {
    const random = createRandom(5);
    const tokens = Array.from({ length: 64 }, () => random.nextInteger(400));
    const sequence = await backend.createSequence({ capacity: 64 });
    const { surprisal } = await sequence.append(tokens);
    const expected = expectedSurprisal(roundedToHalf(createTinyLlama(options)), [], tokens);
    let largest = 0;
    for (let i = 1; i < tokens.length; i++)
      largest = Math.max(largest, Math.abs((surprisal[i] as number) - (expected[i] as number)));
    // llama.cpp's CPU kernels also round activations to f16 for f16 matrices: ~1e-3 rather than 1e-5.
    expect(largest).toBeLessThan(2e-2);
  } finally {
    await backend.dispose();
  }
});

import { createRandom, InvalidOptionError } from '@sirllm/core';
import { createReferenceBackend } from '@sirllm/testkit';
import { expect, it } from 'vitest';
import { createLlamaCppBackend, type LlamaCppBackendOptions } from '../../src/index.js';
import { testLlama, testThreads, writeTinyModel } from './gguf-fixtures.js';

// One-layer models, so that compaction by shifting keys and compaction by re-evaluation must both equal
// the reference (deeper models legitimately differ between the two). Heads of 32 (the families' tiny
// size) and of 64 (where llama.cpp rotates quantized keys with a Hadamard matrix and can shift them).
const head32 = writeTinyModel({ seed: 21, hiddenSize: 64, attentionHeads: 2, keyValueHeads: 1 });
const head64 = writeTinyModel({ seed: 22, hiddenSize: 128, attentionHeads: 2, keyValueHeads: 1 });
const head8 = writeTinyModel({ seed: 23 }); // the plain tiny llama: 4 heads of 8

async function open(path: string, options: Partial<LlamaCppBackendOptions>) {
  const warnings: string[] = [];
  const backend = await createLlamaCppBackend({
    modelPath: path,
    llama: await testLlama(),
    threads: testThreads,
    contextSize: 128,
    onWarning: (message) => warnings.push(message),
    ...options,
  });
  return { backend, warnings };
}

/**
 * Ten rounds of: append 12 tokens, compare their surprisal with the reference backend's (float64, exact
 * key re-rotation), then evict 10 random tokens (never index 0) from both. Returns each round's largest
 * difference.
 */
async function evictionRounds(
  file: ReturnType<typeof writeTinyModel>,
  options: Partial<LlamaCppBackendOptions>,
): Promise<{ differences: number[]; positionShift: string; warnings: string[]; shifted: number }> {
  const { backend, warnings } = await open(file.path, options);
  try {
    const reference = createReferenceBackend({ model: file.model });
    const sequence = await backend.createSequence({ capacity: 96 });
    const expected = await reference.createSequence({ capacity: 96 });
    const tokens = createRandom(7);
    const evictions = createRandom(8);
    const differences: number[] = [];
    let length = 0;
    for (let round = 0; round < 10; round++) {
      const fed = Array.from({ length: 12 }, () => tokens.nextInteger(400));
      const actual = (await sequence.append(fed)).surprisal;
      const wanted = (await expected.append(fed)).surprisal;
      let largest = 0;
      for (let i = length === 0 ? 1 : 0; i < fed.length; i++) {
        largest = Math.max(largest, Math.abs((actual[i] as number) - (wanted[i] as number)));
      }
      differences.push(largest);
      length += fed.length;
      const dropped = new Set<number>();
      while (dropped.size < 10) dropped.add(1 + evictions.nextInteger(length - 2));
      const keep = Uint32Array.from({ length }, (_, i) => i).filter((i) => !dropped.has(i));
      await sequence.retain(keep);
      await expected.retain(keep);
      length = keep.length;
    }
    return {
      differences,
      positionShift: backend.info.positionShift,
      warnings,
      shifted: sequence.statistics.shiftedTokens,
    };
  } finally {
    await backend.dispose();
  }
}

// Tolerances: the largest difference measured over 30 such rounds (heads of 32 and 64), ×2.5.
it('f32 keys and values shift exactly (measured ≤ 2.5e-5)', async () => {
  const result = await evictionRounds(head32, { kvCacheType: 'f32' });
  expect(result.shifted).toBeGreaterThan(0);
  expect(result.positionShift).toBe('exact');
  expect(Math.max(...result.differences)).toBeLessThan(1e-4);
});

it('f16 keys and values (the default) shift without drift (measured ≤ 2.0e-2, flat over 30 rounds)', async () => {
  for (const kvCacheType of [undefined, 'f16'] as const) {
    const result = await evictionRounds(head32, kvCacheType ? { kvCacheType } : {});
    expect(result.positionShift).toBe('exact');
    expect(Math.max(...result.differences)).toBeLessThan(5e-2);
    // f32 would be ~1e-5: these really are float16.
    expect(Math.max(...result.differences)).toBeGreaterThan(1e-4);
  }
});

it('q8_0 values with f16 keys need flash attention and stay exact to shift (measured ≤ 0.21)', async () => {
  await expect(open(head32.path, { kvCacheType: { key: 'f16', value: 'q8_0' } })).rejects.toThrow(
    /flashAttention: true/,
  );
  const result = await evictionRounds(head32, {
    kvCacheType: { key: 'f16', value: 'q8_0' },
    flashAttention: true,
  });
  expect(result.positionShift).toBe('exact');
  expect(result.warnings).toEqual([]);
  expect(Math.max(...result.differences)).toBeLessThan(0.5);
});

it('q8_0 keys that llama.cpp cannot shift (head size not a multiple of 64) are refused before loading', async () => {
  for (const kvCacheType of ['q8_0', { key: 'q8_0', value: 'f16' }] as const) {
    const attempt = open(head32.path, { kvCacheType, flashAttention: true });
    await expect(attempt).rejects.toThrow(InvalidOptionError);
    await expect(attempt).rejects.toThrow(
      /crashes the process for a key head size of 32.*evictionMode: "rebuild"/,
    );
  }
});

it('q8_0 keys and values with evictionMode "rebuild" are exact to compact (measured ≤ 0.27 from q8_0 itself)', async () => {
  const result = await evictionRounds(head32, {
    kvCacheType: 'q8_0',
    flashAttention: true,
    evictionMode: 'rebuild',
  });
  expect(result.positionShift).toBe('exact');
  expect(result.shifted).toBe(0);
  expect(Math.max(...result.differences)).toBeLessThan(0.7);
});

it('q8_0 keys with heads of 64 shift, approximately, with a warning (measured ≤ 0.40, no growth)', async () => {
  const result = await evictionRounds(head64, { kvCacheType: { key: 'q8_0', value: 'f32' } });
  expect(result.positionShift).toBe('approximate');
  expect(result.warnings.join('\n')).toMatch(/q8_0 keys are quantized again/);
  expect(result.shifted).toBeGreaterThan(0);
  expect(Math.max(...result.differences)).toBeLessThan(1);
});

it('a quantized cache whose blocks do not fit the head size is refused, naming it', async () => {
  for (const kvCacheType of ['q8_0', { key: 'f16', value: 'q8_0' }] as const) {
    const attempt = open(head8.path, { kvCacheType, flashAttention: true, evictionMode: 'rebuild' });
    await expect(attempt).rejects.toThrow(InvalidOptionError);
    await expect(attempt).rejects.toThrow(/head size of "sirllm-tiny-llama" \(8, not a multiple of 32\)/);
  }
});

it('refuses cache types it does not offer, bf16 included, by option name', async () => {
  for (const [kvCacheType, option] of [
    ['bf16', 'kvCacheType'],
    ['q4_0', 'kvCacheType'],
    [{ key: 'f16' }, 'kvCacheType.value'],
    [{ key: 'f16', value: 'f32', extra: 1 }, 'kvCacheType.extra'],
    [{ key: 'F16', value: 'f32' }, 'kvCacheType.key'],
  ] as const) {
    const attempt = open(head32.path, { kvCacheType: kvCacheType as never });
    await expect(attempt).rejects.toThrow(InvalidOptionError);
    await expect(attempt).rejects.toMatchObject({ option });
  }
});

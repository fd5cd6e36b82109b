import { surprisalFromLogits } from '@sirllm/core';
import { referenceForward } from '../reference-backend/reference-forward.js';
import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';

/**
 * The surprisal a backend must report for `fed` appended after `resident` (the tokens at positions
 * 0..resident.length−1), from a fresh reference forward pass over both.
 */
export function expectedSurprisal(
  model: TinyLlamaModel,
  resident: readonly number[],
  fed: readonly number[],
): Float64Array {
  const rows = referenceForward(model, [...resident, ...fed]);
  return Float64Array.from(fed, (token, index) => {
    const row = rows[resident.length + index - 1];
    return row ? surprisalFromLogits(row, token) : Number.POSITIVE_INFINITY;
  });
}

/** The reference logits after the last of `tokens`. */
export function expectedNextLogits(model: TinyLlamaModel, tokens: readonly number[]): Float64Array {
  const row = referenceForward(model, tokens).at(-1);
  if (!row) throw new RangeError('no tokens, no next-token logits');
  return row;
}

/**
 * Index of the first pair that differs by more than `tolerance` × max(1, |expected|) (infinities must
 * match exactly), or −1 when all agree.
 */
export function firstMismatch(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
): number {
  if (actual.length !== expected.length) return Math.min(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const b = expected[i] as number;
    if (a === b) continue;
    if (
      !Number.isFinite(a) ||
      !Number.isFinite(b) ||
      !(Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b)))
    ) {
      return i;
    }
  }
  return -1;
}

/** Throws a readable error when `actual` and `expected` are not close (see {@link firstMismatch}). */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  label: string,
): void {
  const index = firstMismatch(actual, expected, tolerance);
  if (index === -1) return;
  throw new Error(
    `${label}: entry ${index} is ${actual[index]}, expected ${expected[index]} ` +
      `(tolerance ${tolerance}; lengths ${actual.length} and ${expected.length})`,
  );
}

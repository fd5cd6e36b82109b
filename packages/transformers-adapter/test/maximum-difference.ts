/** Largest |a − b| over two rows (logits or surprisal), from index `from` on (default 0). */
export function maximumDifference(actual: ArrayLike<number>, expected: ArrayLike<number>, from = 0): number {
  let worst = 0;
  for (let i = from; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  }
  return worst;
}

/** Wall time (ms) of one run of `action`. */
export async function timeOnce(action: () => unknown): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

/** Median wall time (ms) of `runs` runs of `action`, after `warmups` unmeasured ones. */
export async function medianTime(
  action: () => unknown,
  { runs, warmups = 1 }: { runs: number; warmups?: number },
): Promise<number> {
  for (let i = 0; i < warmups; i++) await action();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeOnce(action));
  return median(times);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export const milliseconds = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
export const ratio = (value: number) => `${value.toFixed(2)}×`;
export const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Resident set size now (bytes). */
export const residentBytes = () => process.memoryUsage.rss();

/** Seeded token ids below `vocabulary` (a linear congruential walk; the content does not matter). */
export function benchTokens(seed: number, count: number, vocabulary: number): number[] {
  let state = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % vocabulary;
  });
}

/**
 * `keep` for a cache of `size`: a quarter evicted in `ranges` equal gaps (fewer when a quarter has fewer
 * tokens), index 0 (the sink) kept.
 */
export function keepWithGaps(size: number, ranges: number): Uint32Array {
  const dropped = Math.floor(size / 4);
  const gaps = Math.max(1, Math.min(ranges, dropped));
  const width = Math.floor(dropped / gaps);
  const stride = Math.floor((size - 1) / gaps);
  const drop = new Set<number>();
  for (let range = 0; range < gaps; range++) {
    for (let i = 0; i < width; i++) drop.add(1 + range * stride + i);
  }
  return Uint32Array.from({ length: size }, (_, i) => i).filter((i) => !drop.has(i));
}

/** The floor of a compaction: a plain copy of `bytes` bytes (median of 5). */
export async function plainCopyTime(bytes: number): Promise<number> {
  const source = Buffer.alloc(bytes, 1);
  const target = Buffer.allocUnsafe(bytes);
  return medianTime(() => source.copy(target), { runs: 5 });
}

/** A half-open range `[start, end)` of cache indices, as `eraseContextTokenRanges` takes it. */
export interface IndexRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The fewest ranges of indices in `[0, length)` that are not in `keep` (strictly ascending): each
 * maximal run of dropped indices becomes one range.
 */
export function droppedRanges(keep: Uint32Array, length: number): IndexRange[] {
  const ranges: IndexRange[] = [];
  let next = 0;
  for (const kept of keep) {
    if (kept >= length) break;
    if (kept > next) ranges.push({ start: next, end: kept });
    next = kept + 1;
  }
  if (next < length) ranges.push({ start: next, end: length });
  return ranges;
}

/**
 * How many cached tokens llama.cpp moves (`seq_add`) when erasing `ranges` from a cache of `length`:
 * every gap between ranges and the tail after the last one. node-llama-cpp meters these as input tokens.
 */
export function shiftedTokenCount(ranges: readonly IndexRange[], length: number): number {
  let shifted = 0;
  let previousEnd: number | undefined;
  for (const range of ranges) {
    if (previousEnd !== undefined) shifted += range.start - previousEnd;
    previousEnd = range.end;
  }
  if (previousEnd !== undefined) shifted += length - previousEnd;
  return shifted;
}

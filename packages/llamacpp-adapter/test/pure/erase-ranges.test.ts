import { describe, expect, it } from 'vitest';
import { droppedRanges, shiftedTokenCount } from '../../src/erase-ranges.js';

describe('droppedRanges', () => {
  it('turns keep indices into the fewest maximal ranges of dropped indices', () => {
    expect(droppedRanges(Uint32Array.of(0, 1, 2), 3)).toEqual([]);
    expect(droppedRanges(Uint32Array.of(0, 1, 2), 6)).toEqual([{ start: 3, end: 6 }]);
    expect(droppedRanges(Uint32Array.of(0, 3, 4, 8), 10)).toEqual([
      { start: 1, end: 3 },
      { start: 5, end: 8 },
      { start: 9, end: 10 },
    ]);
    expect(droppedRanges(Uint32Array.of(2, 5), 6)).toEqual([
      { start: 0, end: 2 },
      { start: 3, end: 5 },
    ]);
    expect(droppedRanges(new Uint32Array(0), 4)).toEqual([{ start: 0, end: 4 }]);
    // Indices at or past `length` (a held-back token) are ignored.
    expect(droppedRanges(Uint32Array.of(0, 2, 4), 4)).toEqual([
      { start: 1, end: 2 },
      { start: 3, end: 4 },
    ]);
  });

  it('counts the tokens llama.cpp moves: the gaps between ranges and the tail', () => {
    expect(shiftedTokenCount([], 10)).toBe(0);
    expect(shiftedTokenCount([{ start: 3, end: 6 }], 6)).toBe(0);
    expect(shiftedTokenCount([{ start: 3, end: 6 }], 10)).toBe(4);
    expect(
      shiftedTokenCount(
        [
          { start: 1, end: 3 },
          { start: 5, end: 8 },
        ],
        10,
      ),
    ).toBe(2 + 2);
  });
});

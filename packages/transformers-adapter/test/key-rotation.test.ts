import { createRandom, ropeInverseFrequencies, rotateKeyRow, rotationTable } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { allocateCacheArray } from '../src/cache-array.js';
import { floatToHalf, halfToFloat } from '../src/float16.js';
import { KeyValueStore } from '../src/key-value-store.js';
import { LayerRotators } from '../src/layer-rotators.js';

const settings = { theta: 10000, headDimension: 8, rotaryDimensions: 6 };
const geometry = (type: 'float32' | 'float16') =>
  ({ layers: 2, keyValueHeads: 2, headDimension: 8, type }) as const;

/** Keys at their positions, computed from raw vectors with core's rotation (the independent reference). */
function keysAt(raw: Float64Array[], positions: number[]): Float64Array[] {
  const frequencies = ropeInverseFrequencies(settings);
  return positions.map((position, row) => {
    const key = Float64Array.from(raw[row] as Float64Array);
    rotateKeyRow(key, 0, rotationTable(frequencies, position));
    return key;
  });
}

describe('KeyValueStore.gather with re-rotation', () => {
  const random = createRandom(9);
  const rows = 12;
  // raw[layer][head][row] vectors
  const raw = Array.from({ length: 2 }, () =>
    Array.from({ length: 2 }, () =>
      Array.from({ length: rows }, () => Float64Array.from({ length: 8 }, () => random.next() * 2 - 1)),
    ),
  );
  const build = (type: 'float32' | 'float16', originals: boolean) => {
    const layer = (values: boolean) =>
      raw.map((heads) => {
        const array = allocateCacheArray(type, 2 * rows * 8);
        heads.forEach((vectors, head) => {
          const data = values
            ? vectors
            : keysAt(
                vectors,
                vectors.map((_, row) => row),
              );
          data.forEach((vector, row) => {
            vector.forEach((x, d) => {
              array[(head * rows + row) * 8 + d] = type === 'float32' ? x : floatToHalf(x);
            });
          });
        });
        return array;
      });
    const keys = layer(false);
    return new KeyValueStore(
      geometry(type),
      rows,
      keys,
      layer(true),
      originals ? keys.map((k) => k.slice()) : undefined,
      Int32Array.from({ length: rows }, (_, i) => i),
    );
  };

  for (const [type, originals, tolerance] of [
    ['float32', false, 1e-6],
    ['float32', true, 1e-6],
    ['float16', true, 2e-3],
  ] as const) {
    it(`${type}${originals ? ', from originals' : ', in place'}: two compactions equal keys computed at the new positions`, () => {
      const rotators = new LayerRotators([settings, settings]);
      const first = Uint32Array.of(0, 2, 3, 7, 8, 9, 11);
      const second = Uint32Array.of(0, 3, 5, 6);
      const store = build(type, originals).gather(first, rotators).gather(second, rotators);
      const survivors = Array.from(second, (index) => first[index] as number);
      expect(store.rows).toBe(4);
      expect(Array.from(store.origins)).toEqual(survivors);
      const read = (array: Float32Array | Uint16Array, i: number) =>
        type === 'float32' ? (array[i] as number) : (halfToFloat[array[i] as number] as number);
      raw.forEach((heads, layer) => {
        heads.forEach((vectors, head) => {
          const expected = keysAt(
            survivors.map((row) => vectors[row] as Float64Array),
            survivors.map((_, position) => position),
          );
          expected.forEach((vector, row) => {
            vector.forEach((x, d) => {
              const index = (head * 4 + row) * 8 + d;
              expect(Math.abs(read(store.keys[layer] as Float32Array, index) - x)).toBeLessThanOrEqual(
                tolerance,
              );
              const value = (vectors[survivors[row] as number] as Float64Array)[d] as number;
              expect(Math.abs(read(store.values[layer] as Float32Array, index) - value)).toBeLessThanOrEqual(
                tolerance,
              );
            });
          });
        });
      });
    });
  }
});

describe('KeyValueStore.withPresent with room for original keys', () => {
  const geometry = { layers: 1, keyValueHeads: 2, headDimension: 2, type: 'float32' } as const;
  /** A present tensor [2 heads, rows, 2] whose entries encode (head, row, tag). */
  const present = (rows: number, tag: number) =>
    Float32Array.from({ length: 2 * rows * 2 }, (_, i) => {
      const head = Math.floor(i / (rows * 2));
      const row = Math.floor(i / 2) % rows;
      return head * 1000 + row * 10 + tag;
    });

  it('writes only new rows in place, and a discarded branch never disturbs the store it came from', () => {
    const empty = KeyValueStore.empty(geometry, true);
    const base = empty.withPresent([present(3, 1)], [present(3, 1)], 8);
    expect(base.originalStride).toBe(8);
    const discarded = base.withPresent([present(5, 2)], [present(5, 2)], 8);
    expect(discarded.originalKeys?.[0]).toBe(base.originalKeys?.[0]); // same buffer, rows 3..4 written
    const kept = base.withPresent([present(4, 3)], [present(4, 3)], 8);
    const originals = kept.compactOriginalKeys(0) as Float32Array;
    // Rows 0..2 from the first append (tag 1), row 3 from the kept branch (tag 3), per head.
    expect(Array.from(originals)).toEqual([
      1, 1, 11, 11, 21, 21, 33, 33, 1001, 1001, 1011, 1011, 1021, 1021, 1033, 1033,
    ]);
    // Outgrowing the room reallocates with room for the whole capacity (or more).
    const grown = kept.withPresent([present(10, 4)], [present(10, 4)], 8);
    expect(grown.originalStride).toBe(10);
    expect(Array.from((grown.compactOriginalKeys(0) as Float32Array).subarray(0, 8))).toEqual([
      1, 1, 11, 11, 21, 21, 33, 33,
    ]);
  });
});

describe('KeyRotator.rotateRows on float16 bits, word-paired and element-wise', () => {
  const head = { theta: 1_000_000, headDimension: 64 };
  const random = createRandom(21);
  const rows = 9;
  const raw = Array.from({ length: rows }, () =>
    Float64Array.from({ length: 64 }, () => random.next() * 4 - 2),
  );
  const deltas = Array.from({ length: rows }, (_, row) => (row * 37) % 500);
  const frequencies = ropeInverseFrequencies(head);
  /** Half bits of each raw row rotated by its delta, computed in float64 with core's rotation. */
  const expected = raw.map((vector, row) => {
    const key = Float64Array.from(vector, (value) => halfToFloat[floatToHalf(value)] as number);
    rotateKeyRow(key, 0, rotationTable(frequencies, deltas[row] as number));
    return key;
  });
  const run = (shift: number) => {
    // `shift` elements of padding: 0 keeps 32-bit alignment (word path), 1 breaks it (element path).
    const source = new Uint16Array(shift + rows * 64);
    raw.forEach((vector, row) => {
      vector.forEach((value, i) => {
        source[shift + row * 64 + i] = floatToHalf(value);
      });
    });
    const target = new Uint16Array(shift + rows * 64);
    const rotator = new LayerRotators([head]).of(0);
    const offsets = Int32Array.from({ length: rows }, (_, row) => shift + row * 64);
    const tables = deltas.map((delta) => rotator.table(delta));
    rotator.rotateRows('float16', source, offsets, target, offsets, tables);
    return Array.from({ length: rows }, (_, row) =>
      target.subarray(shift + row * 64, shift + (row + 1) * 64),
    );
  };
  it('both paths round each element once from the float64 rotation (within one float16 rounding)', () => {
    for (const shift of [0, 1]) {
      run(shift).forEach((bits, row) => {
        const reference = expected[row] as Float64Array;
        bits.forEach((value, i) => {
          const want = reference[i] as number;
          expect(Math.abs((halfToFloat[value] as number) - want)).toBeLessThanOrEqual(
            Math.abs(want) * 2 ** -11 + 2 ** -25,
          );
        });
      });
    }
  });
  it('the word-paired path gives the same bits as the element-wise one', () => {
    const paired = run(0);
    const elementWise = run(1);
    paired.forEach((bits, row) => {
      expect(Array.from(bits)).toEqual(Array.from(elementWise[row] as Uint16Array));
    });
  });
});

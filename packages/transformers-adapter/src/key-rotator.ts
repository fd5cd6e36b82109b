import { type RopeSettings, ropeInverseFrequencies, rotaryDimensionsOf } from '@sirllm/core';
import type { CacheArray, CacheType } from './cache-array.js';
import { halfOfFloatBits, halfToFloat } from './float16.js';

type Float16View = { [index: number]: number; readonly length: number };
/** The runtime's `Float16Array`, where it has one (its element writes round to nearest even). */
const nativeFloat16Array = (
  globalThis as {
    Float16Array?: new (buffer: ArrayBufferLike, offset: number, length: number) => Float16View;
  }
).Float16Array;

/**
 * Moves cached keys to new positions with the model's own RoPE frequencies (rotate-half pairs; the
 * dimensions past `rotaryDimensions` are copied). Rotation tables are kept per position delta, so one
 * table serves every layer, head and row that moves by the same amount. Arithmetic is float64 with a
 * single rounding to the cache type per element.
 */
export class KeyRotator {
  readonly headDimension: number;
  readonly half: number;
  readonly #frequencies: Float64Array;
  readonly #tables = new Map<number, Float64Array>();
  readonly #pair = new Float32Array(2);
  readonly #pairWords = new Uint32Array(this.#pair.buffer);

  /** Throws `PositionShiftUnsupportedError` for dynamic or unknown scaling (from core). */
  constructor(settings: RopeSettings) {
    this.headDimension = settings.headDimension;
    this.half = rotaryDimensionsOf(settings) / 2;
    this.#frequencies = ropeInverseFrequencies(settings);
  }

  /** cos then sin for each rotated pair, for a move by `delta` positions. */
  table(delta: number): Float64Array {
    let table = this.#tables.get(delta);
    if (!table) {
      table = new Float64Array(this.half * 2);
      for (let i = 0; i < this.half; i++) {
        const angle = delta * (this.#frequencies[i] as number);
        table[i] = Math.cos(angle);
        table[this.half + i] = Math.sin(angle);
      }
      if (this.#tables.size > 65536) this.#tables.clear();
      this.#tables.set(delta, table);
    }
    return table;
  }

  /**
   * Rotates head rows: row r reads `source` at `sourceOffsets[r]` and writes `target` at
   * `targetOffsets[r]`, with `tables[r]` (see {@link table}). One rounding to the cache type per element.
   */
  rotateRows(
    type: CacheType,
    source: CacheArray,
    sourceOffsets: Int32Array,
    target: CacheArray,
    targetOffsets: Int32Array,
    tables: readonly Float64Array[],
  ): void {
    const half = this.half;
    const dimension = this.headDimension;
    if (type === 'float32') {
      const from = source as Float32Array;
      const to = target as Float32Array;
      for (let r = 0; r < targetOffsets.length; r++) {
        const read = sourceOffsets[r] as number;
        const base = targetOffsets[r] as number;
        const table = tables[r] as Float64Array;
        for (let i = 0; i < half; i++) {
          const x = from[read + i] as number;
          const y = from[read + i + half] as number;
          const cos = table[i] as number;
          const sin = table[half + i] as number;
          to[base + i] = x * cos - y * sin;
          to[base + i + half] = y * cos + x * sin;
        }
        for (let i = 2 * half; i < dimension; i++) to[base + i] = from[read + i] as number;
      }
      return;
    }
    const native = nativeFloat16Array;
    if (native) {
      // Bun, Deno, newer Node: the runtime's own float16 views convert (round to nearest even) natively.
      const from = new native(source.buffer, source.byteOffset, source.length);
      const to = new native(target.buffer, target.byteOffset, target.length);
      for (let r = 0; r < targetOffsets.length; r++) {
        const read = sourceOffsets[r] as number;
        const base = targetOffsets[r] as number;
        const table = tables[r] as Float64Array;
        for (let i = 0; i < half; i++) {
          const x = from[read + i] as number;
          const y = from[read + i + half] as number;
          const cos = table[i] as number;
          const sin = table[half + i] as number;
          to[base + i] = x * cos - y * sin;
          to[base + i + half] = y * cos + x * sin;
        }
        for (let i = 2 * half; i < dimension; i++) to[base + i] = from[read + i] as number;
      }
      return;
    }
    const from = source as Uint16Array;
    const to = target as Uint16Array;
    const pair = this.#pair;
    const words = this.#pairWords;
    for (let r = 0; r < targetOffsets.length; r++) {
      const read = sourceOffsets[r] as number;
      const base = targetOffsets[r] as number;
      const table = tables[r] as Float64Array;
      for (let i = 0; i < half; i++) {
        const x = halfToFloat[from[read + i] as number] as number;
        const y = halfToFloat[from[read + i + half] as number] as number;
        const cos = table[i] as number;
        const sin = table[half + i] as number;
        pair[0] = x * cos - y * sin;
        pair[1] = y * cos + x * sin;
        to[base + i] = halfOfFloatBits(words[0] as number, pair[0] as number);
        to[base + i + half] = halfOfFloatBits(words[1] as number, pair[1] as number);
      }
      for (let i = 2 * half; i < dimension; i++) to[base + i] = from[read + i] as number;
    }
  }
}

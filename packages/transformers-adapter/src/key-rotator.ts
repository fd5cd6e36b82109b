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
  /** One rotated head row in float32, and its bit patterns (the float16 path rounds through it). */
  readonly #scratch: Float32Array;
  readonly #scratchBits: Int32Array;

  /** Throws `PositionShiftUnsupportedError` for dynamic or unknown scaling (from core). */
  constructor(settings: RopeSettings) {
    this.headDimension = settings.headDimension;
    this.half = rotaryDimensionsOf(settings) / 2;
    this.#frequencies = ropeInverseFrequencies(settings);
    this.#scratch = new Float32Array(this.headDimension);
    this.#scratchBits = new Int32Array(this.#scratch.buffer);
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
    rotateHalfRows(
      this.#scratch,
      this.#scratchBits,
      half,
      dimension,
      source as Uint16Array,
      sourceOffsets,
      target as Uint16Array,
      targetOffsets,
      tables,
    );
  }
}

/**
 * The float16 (bit pattern) rotation: each head row is rotated in float64 into a float32 scratch row
 * (the float32 rounding), then the whole row is rounded to half bits in a second loop. Where the
 * arrays and offsets allow, halves are read and written two at a time through 32-bit words (half the
 * typed-array accesses, which dominate the cost in JavaScript).
 */
function rotateHalfRows(
  scratch: Float32Array,
  scratchBits: Int32Array,
  half: number,
  dimension: number,
  from: Uint16Array,
  sourceOffsets: Int32Array,
  to: Uint16Array,
  targetOffsets: Int32Array,
  tables: readonly Float64Array[],
): void {
  const rotated = 2 * half;
  const paired =
    half % 2 === 0 &&
    dimension % 2 === 0 &&
    from.byteOffset % 4 === 0 &&
    to.byteOffset % 4 === 0 &&
    sourceOffsets.every((offset) => offset % 2 === 0) &&
    targetOffsets.every((offset) => offset % 2 === 0);
  if (!paired) {
    for (let r = 0; r < targetOffsets.length; r++) {
      const read = sourceOffsets[r] as number;
      const base = targetOffsets[r] as number;
      const table = tables[r] as Float64Array;
      for (let i = 0; i < half; i++) {
        const x = halfToFloat[from[read + i] as number] as number;
        const y = halfToFloat[from[read + i + half] as number] as number;
        const cos = table[i] as number;
        const sin = table[half + i] as number;
        scratch[i] = x * cos - y * sin;
        scratch[i + half] = y * cos + x * sin;
      }
      for (let i = 0; i < rotated; i++)
        to[base + i] = halfOfFloatBits(scratchBits[i] as number, scratch[i] as number);
      for (let i = rotated; i < dimension; i++) to[base + i] = from[read + i] as number;
    }
    return;
  }
  const fromWords = new Int32Array(from.buffer, from.byteOffset, from.length >>> 1);
  const toWords = new Int32Array(to.buffer, to.byteOffset, to.length >>> 1);
  const toFloat = halfToFloat;
  const halfWords = half >>> 1;
  const rotatedWords = rotated >>> 1;
  const dimensionWords = dimension >>> 1;
  for (let r = 0; r < targetOffsets.length; r++) {
    const read = (sourceOffsets[r] as number) >>> 1;
    const base = (targetOffsets[r] as number) >>> 1;
    const table = tables[r] as Float64Array;
    for (let k = 0; k < halfWords; k++) {
      const first = fromWords[read + k] as number;
      const second = fromWords[read + halfWords + k] as number;
      const x0 = toFloat[first & 0xffff] as number;
      const x1 = toFloat[first >>> 16] as number;
      const y0 = toFloat[second & 0xffff] as number;
      const y1 = toFloat[second >>> 16] as number;
      const i = 2 * k;
      const cos0 = table[i] as number;
      const cos1 = table[i + 1] as number;
      const sin0 = table[half + i] as number;
      const sin1 = table[half + i + 1] as number;
      scratch[i] = x0 * cos0 - y0 * sin0;
      scratch[i + 1] = x1 * cos1 - y1 * sin1;
      scratch[half + i] = y0 * cos0 + x0 * sin0;
      scratch[half + i + 1] = y1 * cos1 + x1 * sin1;
    }
    for (let k = 0; k < rotatedWords; k++) {
      const i = 2 * k;
      const low = scratchBits[i] as number;
      const high = scratchBits[i + 1] as number;
      const lowMagnitude = low & 0x7fffffff;
      const highMagnitude = high & 0x7fffffff;
      if (
        lowMagnitude >= 0x38800000 &&
        lowMagnitude < 0x477ff000 &&
        highMagnitude >= 0x38800000 &&
        highMagnitude < 0x477ff000
      ) {
        toWords[base + k] =
          ((low >>> 16) & 0x8000) |
          ((((lowMagnitude + 0x0fff + ((lowMagnitude >>> 13) & 1)) >>> 13) - 0x1c000) & 0x7fff) |
          (((high >>> 16) & 0x8000) << 16) |
          (((((highMagnitude + 0x0fff + ((highMagnitude >>> 13) & 1)) >>> 13) - 0x1c000) & 0x7fff) << 16);
      } else {
        toWords[base + k] =
          halfOfFloatBits(low, scratch[i] as number) |
          (halfOfFloatBits(high, scratch[i + 1] as number) << 16);
      }
    }
    for (let k = rotatedWords; k < dimensionWords; k++) toWords[base + k] = fromWords[read + k] as number;
  }
}

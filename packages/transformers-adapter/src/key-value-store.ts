import { allocateCacheArray, type CacheArray, type CacheType } from './cache-array.js';
import type { KeyRotator } from './key-rotator.js';
import type { LayerRotators } from './layer-rotators.js';

/** The shape of one model's cache: layers × [kvHeads, rows, headDimension] for keys and for values. */
export interface CacheGeometry {
  readonly layers: number;
  readonly keyValueHeads: number;
  readonly headDimension: number;
  readonly type: CacheType;
}

/**
 * An immutable KV cache of `rows` positions in the ONNX layout [kv_heads, rows, head_dim] per layer,
 * and the position each row's key was produced at (`origins`).
 *
 * Bounded rounding: with `originalKeys` (each key as the model first produced it), moving a key always
 * rotates that original by (new − origin) positions, so a key carries one rounding however many
 * compactions it went through (used for float16 caches, where one rounding is ~5e-4). Without them,
 * a moved key is rotated from where it is; a key moves at most once per eviction before it while it
 * is resident, so its error is bounded by `capacity` float32 roundings (~6e-8 each), not by the length
 * of the conversation.
 *
 * Original keys are laid out [kv_heads, originalStride, head_dim] with room for `originalStride` rows,
 * so appending writes only the new rows. Rows at or past `rows` belong to no store yet: a newer store
 * may have written them, which never disturbs this one.
 */
export class KeyValueStore {
  constructor(
    readonly geometry: CacheGeometry,
    readonly rows: number,
    readonly keys: readonly CacheArray[],
    readonly values: readonly CacheArray[],
    readonly originalKeys: readonly CacheArray[] | undefined,
    readonly origins: Int32Array,
    readonly originalStride: number = rows,
  ) {}

  static empty(geometry: CacheGeometry, keepOriginalKeys: boolean): KeyValueStore {
    const none = () => Array.from({ length: geometry.layers }, () => allocateCacheArray(geometry.type, 0));
    return new KeyValueStore(
      geometry,
      0,
      none(),
      none(),
      keepOriginalKeys ? none() : undefined,
      new Int32Array(0),
    );
  }

  /**
   * The store after a forward pass: `presentKeys`/`presentValues` are the model's `present.*` data
   * ([kv_heads, rows + added, head_dim]), used as they are; the added rows' originals are copied and
   * their origin is their row index.
   */
  withPresent(
    presentKeys: readonly CacheArray[],
    presentValues: readonly CacheArray[],
    capacity: number,
  ): KeyValueStore {
    const { keyValueHeads, headDimension, type } = this.geometry;
    const first = presentKeys[0];
    const total = first ? first.length / (keyValueHeads * headDimension) : this.rows;
    const fits = total <= this.originalStride;
    const stride = fits ? this.originalStride : Math.max(total, capacity);
    const originals = this.originalKeys?.map((previous, layer) => {
      const present = presentKeys[layer] as CacheArray;
      const target = fits ? previous : allocateCacheArray(type, keyValueHeads * stride * headDimension);
      for (let head = 0; head < keyValueHeads; head++) {
        const targetStart = head * stride * headDimension;
        if (!fits) {
          const oldStart = head * this.originalStride * headDimension;
          target.set(previous.subarray(oldStart, oldStart + this.rows * headDimension), targetStart);
        }
        const presentStart = head * total * headDimension;
        target.set(
          present.subarray(presentStart + this.rows * headDimension, presentStart + total * headDimension),
          targetStart + this.rows * headDimension,
        );
      }
      return target;
    });
    const origins = new Int32Array(total);
    origins.set(this.origins);
    for (let row = this.rows; row < total; row++) origins[row] = row;
    return new KeyValueStore(this.geometry, total, presentKeys, presentValues, originals, origins, stride);
  }

  /**
   * Keeps rows `kept` (strictly ascending, each < rows) at rows 0..kept.length−1. Values and originals
   * are copied in runs of consecutive rows; a key whose row index does not change is copied, every
   * other key is recomputed from its original, rotated to its new position by its layer's rotator
   * (no rotators: a model without RoPE, keys are copied like values).
   */
  gather(kept: Uint32Array, rotators: LayerRotators | undefined, capacity = kept.length): KeyValueStore {
    const { keyValueHeads, headDimension, type, layers } = this.geometry;
    const count = kept.length;
    const size = keyValueHeads * count * headDimension;
    const fromOriginals = this.originalKeys !== undefined;
    let unmoved = 0;
    while (unmoved < count && kept[unmoved] === unmoved) unmoved++;
    const runs = consecutiveRuns(kept);
    const originalStride = Math.max(count, capacity);
    const copyRuns = (source: CacheArray, target: CacheArray, sourceStride: number, targetStride: number) => {
      for (let head = 0; head < keyValueHeads; head++) {
        const sourceHead = head * sourceStride * headDimension;
        const targetHead = head * targetStride * headDimension;
        for (let r = 0; r < runs.length; r += 3) {
          const to = targetHead + (runs[r] as number) * headDimension;
          const from = sourceHead + (runs[r + 1] as number) * headDimension;
          const length = (runs[r + 2] as number) * headDimension;
          copyRange(source, from, target, to, length);
        }
      }
    };
    const keys: CacheArray[] = [];
    const values: CacheArray[] = [];
    const originals: CacheArray[] | undefined = fromOriginals ? [] : undefined;
    const moved = count - unmoved;
    const targetOffsets = new Int32Array(rotators ? moved * keyValueHeads : 0);
    const sourceOffsets = new Int32Array(targetOffsets.length);
    const deltas = new Int32Array(targetOffsets.length);
    if (rotators) {
      let index = 0;
      for (let row = unmoved; row < count; row++) {
        const from = kept[row] as number;
        const delta = row - (fromOriginals ? (this.origins[from] as number) : from);
        for (let head = 0; head < keyValueHeads; head++) {
          targetOffsets[index] = (head * count + row) * headDimension;
          sourceOffsets[index] = fromOriginals
            ? (head * originalStride + row) * headDimension
            : (head * this.rows + from) * headDimension;
          deltas[index++] = delta;
        }
      }
    }
    // One list of rotation tables per distinct rotator (layers with the same RoPE share it).
    const tablesOf = new Map<KeyRotator, Float64Array[]>();
    const movedTables = (rotator: KeyRotator) => {
      let tables = tablesOf.get(rotator);
      if (!tables) {
        tables = Array.from(deltas, (delta) => rotator.table(delta));
        tablesOf.set(rotator, tables);
      }
      return tables;
    };
    for (let layer = 0; layer < layers; layer++) {
      const value = allocateCacheArray(type, size);
      copyRuns(this.values[layer] as CacheArray, value, this.rows, count);
      values.push(value);
      const sourceOriginal = this.originalKeys?.[layer];
      let original: CacheArray | undefined;
      if (originals && sourceOriginal) {
        original = allocateCacheArray(type, keyValueHeads * originalStride * headDimension);
        copyRuns(sourceOriginal, original, this.originalStride, originalStride);
        originals.push(original);
      }
      const key = allocateCacheArray(type, size);
      const sourceKey = this.keys[layer] as CacheArray;
      const rotator = rotators?.of(layer);
      if (!rotator) {
        copyRuns(sourceKey, key, this.rows, count);
      } else {
        for (let head = 0; head < keyValueHeads; head++) {
          const headStart = head * this.rows * headDimension;
          key.set(
            sourceKey.subarray(headStart, headStart + unmoved * headDimension),
            head * count * headDimension,
          );
        }
        rotator.rotateRows(
          type,
          original ?? sourceKey,
          sourceOffsets,
          key,
          targetOffsets,
          movedTables(rotator),
        );
      }
      keys.push(key);
    }
    const origins = new Int32Array(count);
    for (let row = 0; row < count; row++) origins[row] = this.origins[kept[row] as number] as number;
    return new KeyValueStore(this.geometry, count, keys, values, originals, origins, originalStride);
  }

  /** The original keys of one layer as compact rows [kv_heads, rows, head_dim] (a copy). */
  compactOriginalKeys(layer: number): CacheArray | undefined {
    const source = this.originalKeys?.[layer];
    if (!source) return undefined;
    const { keyValueHeads, headDimension, type } = this.geometry;
    const out = allocateCacheArray(type, keyValueHeads * this.rows * headDimension);
    for (let head = 0; head < keyValueHeads; head++) {
      const start = head * this.originalStride * headDimension;
      out.set(source.subarray(start, start + this.rows * headDimension), head * this.rows * headDimension);
    }
    return out;
  }

  /** Bytes held by keys, values and originals. */
  get byteLength(): number {
    let total = 0;
    for (const list of [this.keys, this.values, this.originalKeys ?? []]) {
      for (const array of list) total += array.byteLength;
    }
    return total;
  }
}

/**
 * Very short ranges are copied element by element: cheaper than making a subarray view for `set`
 * (measured on V8: `set` wins from ~16 elements on).
 */
function copyRange(source: CacheArray, from: number, target: CacheArray, to: number, length: number): void {
  if (length < 16) {
    for (let i = 0; i < length; i++) target[to + i] = source[from + i] as number;
  } else {
    target.set(source.subarray(from, from + length), to);
  }
}

/** Triples (targetStart, sourceStart, length) of runs of consecutive indices. */
function consecutiveRuns(kept: Uint32Array): Int32Array {
  const runs: number[] = [];
  let i = 0;
  while (i < kept.length) {
    const start = i;
    while (i + 1 < kept.length && kept[i + 1] === (kept[i] as number) + 1) i++;
    runs.push(start, kept[start] as number, i - start + 1);
    i++;
  }
  return Int32Array.from(runs);
}

/** Element type of a model's KV cache. */
export type CacheType = 'float32' | 'float16';

/** Storage of one cache tensor: float32 values, or float16 as bit patterns (see `float16.ts`). */
export type CacheArray = Float32Array | Uint16Array;

/** A zeroed cache array of `length` elements. */
export function allocateCacheArray(type: CacheType, length: number): CacheArray {
  return type === 'float32' ? new Float32Array(length) : new Uint16Array(length);
}

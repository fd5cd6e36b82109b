/** A deterministic pseudo-random source: `next()` returns a float in [0, 1). */
export interface RandomSource {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, bound). */
  nextInteger(bound: number): number;
}

/**
 * A small, fast, seedable generator (SplitMix32-seeded xoshiro128**), identical on every runtime.
 * Not for cryptography.
 */
export function createRandom(seed: number): RandomSource {
  let s = seed >>> 0;
  const splitMix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitMix();
  let b = splitMix();
  let c = splitMix();
  let d = splitMix();
  const nextUint32 = () => {
    const result = Math.imul(rotateLeft(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotateLeft(d, 11);
    return result;
  };
  const next = () => nextUint32() / 4294967296;
  return { next, nextInteger: (bound) => Math.floor(next() * bound) };
}

function rotateLeft(value: number, shift: number): number {
  return (value << shift) | (value >>> (32 - shift));
}

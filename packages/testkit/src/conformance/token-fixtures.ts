import { createRandom, type RandomSource } from '@sirllm/core';

/** Seeded token ids and keep sets for the conformance checks. */
export class TokenFixtures {
  readonly #random: RandomSource;

  constructor(
    seed: number,
    readonly vocabularySize: number,
  ) {
    this.#random = createRandom(seed);
  }

  /** `count` uniformly random token ids. */
  tokens(count: number): number[] {
    return Array.from({ length: count }, () => this.#random.nextInteger(this.vocabularySize));
  }

  /**
   * Ascending indices below `length` that always include 0, keep about `fraction` of the rest, and
   * always leave gaps (so the kept tokens really move).
   */
  keepSet(length: number, fraction: number): Uint32Array {
    const kept = [0];
    for (let index = 1; index < length; index++) if (this.#random.next() < fraction) kept.push(index);
    if (kept.length === length) kept.splice(1 + this.#random.nextInteger(length - 1), 1);
    return Uint32Array.from(kept);
  }
}

/** `[0, 1, …, count − 1]` as keep indices: a rollback to the first `count` tokens. */
export function prefixIndices(count: number): Uint32Array {
  return Uint32Array.from({ length: count }, (_, index) => index);
}

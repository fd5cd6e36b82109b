import type { RandomSource } from '@sirllm/core';

/** A standard normal draw (Box–Muller) from a seeded uniform source. */
export function standardNormal(random: RandomSource): number {
  const radius = Math.sqrt(-2 * Math.log(1 - random.next()));
  return radius * Math.cos(2 * Math.PI * random.next());
}

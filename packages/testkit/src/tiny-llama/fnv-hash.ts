/** The FNV-1a offset basis: the hash of no bytes. */
export const fnvOffsetBasis = 0x811c9dc5;

/** 32-bit FNV-1a of `bytes`, continuing from `hash` (chain calls to hash several pieces). */
export function fnvHash(bytes: Uint8Array, hash: number = fnvOffsetBasis): number {
  let value = hash >>> 0;
  for (let i = 0; i < bytes.length; i++) value = Math.imul(value ^ (bytes[i] as number), 0x01000193) >>> 0;
  return value;
}

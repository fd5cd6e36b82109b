/** The FNV-1a offset basis: the hash of no bytes. */
export const fnvOffsetBasis = 0x811c9dc5;

/**
 * FNV-1a (32-bit) over bytes, continuing from `hash` (chain calls to hash several pieces). The one
 * implementation in the project: the snapshot envelope's checksum and the backends' model fingerprints.
 * It detects truncation and accidental corruption, not a deliberate forgery: only restore snapshots
 * you wrote yourself.
 */
export function fnv1a32(bytes: Uint8Array, hash: number = fnvOffsetBasis): number {
  let value = hash >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    value ^= bytes[i] as number;
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

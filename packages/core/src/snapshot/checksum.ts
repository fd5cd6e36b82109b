/**
 * FNV-1a (32-bit) over bytes: detects truncation and accidental corruption of snapshots. Not a defence
 * against a deliberate forgery: only restore snapshots you wrote yourself.
 */
export function fnv1a32(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i] as number;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

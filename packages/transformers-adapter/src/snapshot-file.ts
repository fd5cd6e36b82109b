import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { InvalidOptionError } from '@sirllm/core';

/**
 * Writes snapshot bytes (a sequence's or a `MemorySession`'s) atomically: into a temporary file next to
 * `path`, then renamed over it, so a crash never leaves a half-written snapshot behind.
 */
export async function writeSnapshotFile(path: string, bytes: Uint8Array): Promise<void> {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidOptionError({ option: 'bytes', value: bytes, expected: 'a Uint8Array snapshot' });
  }
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, bytes, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Reads snapshot bytes written by {@link writeSnapshotFile} (validation happens on restore). */
export async function readSnapshotFile(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}

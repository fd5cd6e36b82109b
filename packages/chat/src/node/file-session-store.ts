import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionStore } from '../session-store.js';

/**
 * A store with one file per session in `directory` (created when missing). Writes are atomic: a
 * temporary file is written, then renamed over the old one, so a crash never leaves half a snapshot.
 * Session ids are encoded into safe file names.
 */
export function createFileSessionStore(directory: string): SessionStore {
  const fileOf = (sessionId: string) => join(directory, `${encodeURIComponent(sessionId)}.sirllm-session`);
  return {
    async save(sessionId, bytes) {
      await mkdir(directory, { recursive: true });
      const target = fileOf(sessionId);
      const temporary = `${target}.${Date.now().toString(36)}${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, target);
    },
    async load(sessionId) {
      try {
        return new Uint8Array(await readFile(fileOf(sessionId)));
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async delete(sessionId) {
      await rm(fileOf(sessionId), { force: true });
    },
  };
}

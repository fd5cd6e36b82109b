import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionStore } from '../session-store.js';

/**
 * A store with one file per session in `directory` (created when missing). A save is crash-safe: the
 * bytes go to a temporary file in the same directory, which is flushed to disk (`fsync`) and renamed over
 * the old file, and the directory is flushed too; a process killed at any point leaves the old file or
 * the new one, never a torn one (a temporary file may be left behind: `*.tmp`). Session ids are encoded
 * into safe file names (a long id: its first characters and a hash, within file-name limits). It does not fence (`fences: false`): several processes must not continue one
 * session through it — use a store that fences, with leases (`@sirllm/redis`).
 */
export function createFileSessionStore(directory: string): SessionStore {
  const fileOf = (sessionId: string) => join(directory, `${fileNameOf(sessionId)}.sirllm-session`);
  return {
    fences: false,
    async save(sessionId, bytes) {
      await mkdir(directory, { recursive: true });
      const target = fileOf(sessionId);
      const temporary = `${target}.${process.pid}-${globalThis.crypto.randomUUID()}.tmp`;
      try {
        const file = await open(temporary, 'wx');
        try {
          await file.writeFile(bytes);
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true }); // the old file is untouched
        throw error;
      }
      await syncDirectory(directory);
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
      await syncDirectory(directory).catch(() => undefined);
    },
  };
}

/** Flushes a directory's entries (the rename) to disk, where the platform allows opening a directory. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    // Windows cannot open a directory; the rename is still atomic there.
    if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL'].includes((error as { code?: string }).code ?? ''))
      throw error;
  } finally {
    await handle?.close();
  }
}

/** The longest encoded id used as it is; a longer one is cut and completed by its hash. */
const longestName = 120;

/** A file name for a session id: URI-encoded (no separators), bounded in length, distinct per id. */
function fileNameOf(sessionId: string): string {
  const encoded = encodeURIComponent(sessionId);
  if (encoded.length <= longestName) return encoded;
  const hash = createHash('sha256').update(sessionId).digest('hex').slice(0, 32);
  return `${encoded.slice(0, longestName - 33)}~${hash}`;
}

import { SessionStoreUnavailableError } from '../errors/session-store-unavailable-error.js';
import type { SessionStore } from '../session-store.js';
import { saveFailure } from './save-failure.js';
import { sessionDatabase } from './session-database.js';
import { chunkBytes, chunkKeys, type SessionManifest } from './session-records.js';

/** Options of {@link createIndexedDbSessionStore}. */
export interface IndexedDbSessionStoreOptions {
  /** The IndexedDB database the sessions are kept in (default `'sirllm-sessions'`); created when missing. */
  readonly databaseName?: string;
}

/**
 * A store in the browser's IndexedDB (pages, Web Workers), for sessions that outlive a page reload. A
 * save is atomic: the session's manifest and chunks (pieces of at most 16 MiB) are all replaced in one
 * readwrite transaction, so a load sees the old value or the new one, never a mix, and a tab closed or a
 * quota exceeded midway leaves the old value. A full quota rejects with an error that says so (`cause`:
 * the browser's `QuotaExceededError`); `requestPersistentStorage` keeps the sessions from eviction.
 * Where there is no IndexedDB (an opaque origin, some private modes) calls reject with
 * `SessionStoreUnavailableError`. The database is opened on first use and kept open; it closes itself
 * when another tab or worker deletes or upgrades it. It does not fence (`fences: false`): one tab or
 * worker at a time must continue a session through it — several tabs may share the database, each with
 * its own sessions.
 */
export function createIndexedDbSessionStore(options: IndexedDbSessionStoreOptions = {}): SessionStore {
  const databaseName = options.databaseName ?? 'sirllm-sessions';
  const database = sessionDatabase(databaseName);
  return {
    fences: false,
    async save(sessionId, bytes) {
      try {
        await database.transact(sessionId, 'save', 'readwrite', ({ manifests, chunks }) => {
          const count = Math.ceil(bytes.length / chunkBytes);
          manifests.put({ chunks: count, length: bytes.length } satisfies SessionManifest, sessionId);
          for (let index = 0; index < count; index++) {
            chunks.put(chunkOf(bytes, index), [sessionId, index]);
          }
          chunks.delete(chunkKeys(sessionId, count)); // the old value's chunks beyond the new count
        });
      } catch (error) {
        if (SessionStoreUnavailableError.isInstance(error)) throw error;
        throw saveFailure(sessionId, databaseName, error);
      }
    },
    async load(sessionId) {
      const { manifest, chunks } = await database.transact(
        sessionId,
        'load',
        'readonly',
        ({ manifests, chunks }) => ({
          manifest: manifests.get(sessionId) as IDBRequest<SessionManifest | undefined>,
          chunks: chunks.getAll(chunkKeys(sessionId)) as IDBRequest<unknown[]>,
        }),
      );
      if (manifest.result === undefined) return undefined;
      return joinChunks(sessionId, databaseName, manifest.result, chunks.result);
    },
    async delete(sessionId) {
      await database.transact(sessionId, 'delete', 'readwrite', ({ manifests, chunks }) => {
        manifests.delete(sessionId);
        chunks.delete(chunkKeys(sessionId));
      });
    },
  };
}

/** Chunk `index` of `bytes`, as an array of its own (a view would store its whole buffer). */
function chunkOf(bytes: Uint8Array, index: number): Uint8Array {
  const start = index * chunkBytes;
  const end = Math.min(bytes.length, start + chunkBytes);
  const whole = start === 0 && end === bytes.buffer.byteLength && bytes.byteOffset === 0;
  return whole && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice(start, end);
}

/** The saved value from its chunks, checked against the manifest. */
function joinChunks(
  sessionId: string,
  databaseName: string,
  manifest: SessionManifest,
  chunks: readonly unknown[],
): Uint8Array {
  const pieces = chunks.filter((chunk): chunk is Uint8Array => chunk instanceof Uint8Array);
  const length = pieces.reduce((total, piece) => total + piece.length, 0);
  if (pieces.length !== chunks.length || chunks.length !== manifest.chunks || length !== manifest.length) {
    throw new Error(
      `Session "${sessionId}": the saved session in IndexedDB database "${databaseName}" is damaged (its manifest says ${manifest.length} bytes in ${manifest.chunks} chunks; found ${length} bytes in ${pieces.length} of ${chunks.length} records). Delete it and start the session again.`,
    );
  }
  if (pieces.length === 1) return pieces[0] as Uint8Array; // a fresh copy, read from the database
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) {
    bytes.set(piece, offset);
    offset += piece.length;
  }
  return bytes;
}

/** The object store of manifests: one {@link SessionManifest} per session, keyed by its id. */
export const manifestStoreName = 'manifests';
/** The object store of chunks: a session's bytes in pieces of at most `chunkBytes`, keyed `[sessionId, index]`. */
export const chunkStoreName = 'chunks';
/** The largest chunk: bounds each record and the memory one structured clone takes. */
export const chunkBytes = 16 * 1024 * 1024;
/** The database's schema version (the two object stores above). */
export const databaseVersion = 1;

/** What a session's saved bytes are: `chunks` records, indices 0 to `chunks` − 1, adding up to `length` bytes. */
export interface SessionManifest {
  readonly chunks: number;
  readonly length: number;
}

/** The keys of a session's chunks from index `first` on. */
export function chunkKeys(sessionId: string, first = 0): IDBKeyRange {
  return IDBKeyRange.bound([sessionId, first], [sessionId, Number.POSITIVE_INFINITY]);
}

/** Creates the object stores a database of this schema version lacks (in `upgradeneeded`). */
export function createSessionObjectStores(database: IDBDatabase): void {
  for (const name of [manifestStoreName, chunkStoreName]) {
    if (!database.objectStoreNames.contains(name)) database.createObjectStore(name);
  }
}

import { SessionStoreUnavailableError } from '../errors/session-store-unavailable-error.js';
import { openSessionDatabase } from './open-session-database.js';
import { chunkStoreName, manifestStoreName } from './session-records.js';

/** The two object stores of one transaction. */
export interface SessionObjectStores {
  readonly manifests: IDBObjectStore;
  readonly chunks: IDBObjectStore;
}

/** The sessions database of one store: one connection, opened on first use and kept. */
export interface SessionDatabase {
  /**
   * Runs `issue` in one transaction over both object stores: `issue` places its requests synchronously;
   * the promise settles when the transaction commits (with what `issue` returned) or aborts (with the
   * transaction's error). An exception thrown by `issue` aborts the transaction, so none of the requests
   * it placed takes effect. A database that cannot be opened rejects with `SessionStoreUnavailableError`.
   */
  transact<T>(
    sessionId: string,
    operation: string,
    mode: IDBTransactionMode,
    issue: (stores: SessionObjectStores) => T,
  ): Promise<T>;
}

/** A {@link SessionDatabase} over `databaseName`, opened again when the browser or another tab closes it. */
export function sessionDatabase(databaseName: string): SessionDatabase {
  let current: Promise<IDBDatabase> | undefined;

  const connection = (): Promise<IDBDatabase> => {
    if (current) return current;
    const opening = openSessionDatabase(databaseName, () => {
      if (current === opening) current = undefined;
    });
    current = opening;
    opening.catch(() => {
      if (current === opening) current = undefined; // the next call tries again
    });
    return opening;
  };

  const begin = async (sessionId: string, operation: string, mode: IDBTransactionMode) => {
    for (let attempt = 1; ; attempt++) {
      const opening = connection();
      let database: IDBDatabase;
      try {
        database = await opening;
      } catch (cause) {
        throw new SessionStoreUnavailableError({ sessionId, operation, cause });
      }
      try {
        return database.transaction([manifestStoreName, chunkStoreName], mode);
      } catch (error) {
        // Closed between the open and now (a versionchange): open once more.
        if (attempt > 1 || (error as { name?: string }).name !== 'InvalidStateError') throw error;
        if (current === opening) current = undefined;
      }
    }
  };

  return {
    async transact(sessionId, operation, mode, issue) {
      const transaction = await begin(sessionId, operation, mode);
      const finished = new Promise<void>((resolve, reject) => {
        transaction.oncomplete = () => resolve();
        transaction.onabort = () =>
          reject(transaction.error ?? new Error(`the IndexedDB transaction (${operation}) was aborted`));
      });
      let issued: ReturnType<typeof issue>;
      try {
        issued = issue({
          manifests: transaction.objectStore(manifestStoreName),
          chunks: transaction.objectStore(chunkStoreName),
        });
      } catch (error) {
        let abortedAlready = false;
        try {
          transaction.abort();
        } catch {
          abortedAlready = true; // by the browser or a caller, before `issue` threw (on the inactive transaction)
        }
        const abortReason = await finished.then(
          () => undefined,
          (reason: unknown) => reason,
        );
        throw abortedAlready && abortReason !== undefined ? abortReason : error;
      }
      await finished;
      return issued;
    },
  };
}

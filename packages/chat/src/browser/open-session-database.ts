import { createSessionObjectStores, databaseVersion } from './session-records.js';

/**
 * Opens the sessions database, creating it when missing. The connection closes itself on `versionchange`
 * (another tab or worker deleting or upgrading the database is never blocked by it) and then calls
 * `onClosed`, as it does when the browser closes it. An open that another connection blocks rejects at
 * once, saying what to do, rather than waiting for a tab that may never close.
 */
export function openSessionDatabase(databaseName: string, onClosed: () => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (factory === undefined) {
      throw new Error(
        'IndexedDB is not available here (globalThis.indexedDB is undefined): pages on an opaque origin (a sandboxed iframe, a data: URL) and some private-browsing modes have none. Serve the page from a regular origin, or use createMemorySessionStore from @sirllm/chat.',
      );
    }
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(databaseName, databaseVersion);
    } catch (error) {
      throw new Error(
        `IndexedDB refused to open database "${databaseName}" (${errorText(error)}): this origin may not use storage (an opaque origin, or storage blocked in the browser's settings).`,
        { cause: error },
      );
    }
    let settled = false;
    request.onupgradeneeded = () => createSessionObjectStores(request.result);
    request.onsuccess = () => {
      const database = request.result;
      if (settled) {
        database.close(); // opened after its blocked wait was given up
        return;
      }
      settled = true;
      database.onversionchange = () => {
        database.close();
        onClosed();
      };
      database.onclose = onClosed;
      resolve(database);
    };
    request.onerror = () => {
      if (settled) return;
      settled = true;
      reject(request.error ?? new Error(`opening IndexedDB database "${databaseName}" failed`));
    };
    request.onblocked = () => {
      if (settled) return;
      settled = true;
      reject(
        new Error(
          `opening IndexedDB database "${databaseName}" is blocked: another tab or worker keeps an older version of it open. Close or reload the other tabs of this site, then retry.`,
        ),
      );
    };
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

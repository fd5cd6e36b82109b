import { runSessionStoreConformance } from '@sirllm/chat/conformance';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createIndexedDbSessionStore, requestPersistentStorage } from '../src/browser/index.js';
import { SessionStoreUnavailableError } from '../src/index.js';

// The IndexedDB session store in Chromium: the store conformance suite, then what only this store has —
// chunks, one transaction per save, the browser's errors. The checks below read the database with their
// own connection, so they name its layout here, independently of the store's source.
const manifestStore = 'manifests';
const chunkStore = 'chunks';
const MiB = 1024 * 1024;

const freshName = () => `sirllm-test-${crypto.randomUUID()}`;

function request<T>(pending: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    pending.onsuccess = () => resolve(pending.result);
    pending.onerror = () => reject(pending.error);
  });
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deleting = indexedDB.deleteDatabase(name);
    deleting.onsuccess = () => resolve();
    deleting.onerror = () => reject(deleting.error);
    deleting.onblocked = () => reject(new Error(`deleting ${name} is blocked: a connection stayed open`));
  });
}

/**
 * Runs `work` in a transaction on a connection of the test's own to the store's (existing) database, then
 * closes it once the transaction has finished (a connection closed midway would still block a delete).
 */
async function inspect<T>(name: string, work: (transaction: IDBTransaction) => Promise<T>): Promise<T> {
  const database = await request(indexedDB.open(name));
  try {
    const transaction = database.transaction([manifestStore, chunkStore], 'readwrite');
    const finished = new Promise((resolve, reject) => {
      transaction.oncomplete = resolve;
      transaction.onabort = () => reject(transaction.error);
    });
    const result = await work(transaction);
    await finished;
    return result;
  } finally {
    database.close();
  }
}

const chunkCount = (name: string, sessionId: string) =>
  inspect(name, (transaction) =>
    request(
      transaction
        .objectStore(chunkStore)
        .count(IDBKeyRange.bound([sessionId, 0], [sessionId, Number.POSITIVE_INFINITY])),
    ),
  );

/** Bytes hashed from (index, seed): no period, so chunks swapped or shifted would not compare equal. */
function patterned(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index++) {
    let mixed = Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(seed, 0x85ebca6b);
    mixed ^= mixed >>> 16;
    mixed = Math.imul(mixed, 0x7feb352d);
    mixed ^= mixed >>> 15;
    bytes[index] = mixed & 0xff;
  }
  return bytes;
}

/** Whether `actual` holds exactly `expected`'s bytes (undefined: nothing loaded). */
function sameBytes(actual: Uint8Array | undefined, expected: Uint8Array): boolean {
  if (actual?.length !== expected.length) return false;
  return actual.every((byte, index) => byte === expected[index]);
}

/** Makes `IDBObjectStore.put` misbehave on the `nth` chunk it stores, for the length of `work`. */
async function withFailingChunkPut<T>(
  nth: number,
  misbehave: (store: IDBObjectStore, put: () => IDBRequest<IDBValidKey>) => IDBRequest<IDBValidKey>,
  work: () => Promise<T>,
): Promise<T> {
  const original = IDBObjectStore.prototype.put;
  let chunkPuts = 0;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    const put = () => original.call(this, value, key);
    if (this.name === chunkStore && ++chunkPuts === nth) return misbehave(this, put);
    return put();
  };
  try {
    return await work();
  } finally {
    IDBObjectStore.prototype.put = original;
  }
}

runSessionStoreConformance(
  'IndexedDB store (Chromium)',
  () => {
    const databaseName = freshName();
    return {
      store: createIndexedDbSessionStore({ databaseName }),
      // The store still holds its connection: the delete goes through only because it closes on versionchange.
      dispose: () => deleteDatabase(databaseName),
    };
  },
  { largeBytes: 40 * MiB },
);

describe('IndexedDB session store', () => {
  const names: string[] = [];
  const storeOn = () => {
    const databaseName = freshName();
    names.push(databaseName);
    return { databaseName, store: createIndexedDbSessionStore({ databaseName }) };
  };
  afterEach(async () => {
    vi.unstubAllGlobals();
    for (const name of names.splice(0)) await deleteDatabase(name);
  });

  it('round-trips a 40 MB snapshot byte for byte, stored as 3 chunks of at most 16 MiB and a manifest', async () => {
    const { databaseName, store } = storeOn();
    const value = patterned(40_000_000, 3);
    await store.save('large', value);
    expect(sameBytes(await store.load('large'), patterned(40_000_000, 3))).toBe(true);
    const { manifest, sizes } = await inspect(databaseName, async (transaction) => ({
      manifest: await request(transaction.objectStore(manifestStore).get('large')),
      sizes: (
        (await request(
          transaction.objectStore(chunkStore).getAll(IDBKeyRange.bound(['large', 0], ['large', 99])),
        )) as Uint8Array[]
      ).map((chunk) => chunk.byteLength),
    }));
    expect(manifest).toEqual({ chunks: 3, length: 40_000_000 });
    expect(sizes).toEqual([16 * MiB, 16 * MiB, 40_000_000 - 32 * MiB]);
  });

  it('splits exactly at 16 MiB: 16 MiB is one chunk, one byte more is two, empty is none', async () => {
    const { databaseName, store } = storeOn();
    await store.save('exact', patterned(16 * MiB, 4));
    await store.save('over', patterned(16 * MiB + 1, 5));
    await store.save('empty', new Uint8Array(0));
    expect(await chunkCount(databaseName, 'exact')).toBe(1);
    expect(await chunkCount(databaseName, 'over')).toBe(2);
    expect(await chunkCount(databaseName, 'empty')).toBe(0);
    expect(sameBytes(await store.load('over'), patterned(16 * MiB + 1, 5))).toBe(true);
    expect(await store.load('empty')).toEqual(new Uint8Array(0));
  });

  it('replacing a 3-chunk value with a 1-chunk value leaves no stale chunks; delete leaves none', async () => {
    const { databaseName, store } = storeOn();
    await store.save('shrinks', patterned(40_000_000, 6));
    await store.save('neighbour', patterned(1000, 7));
    expect(await chunkCount(databaseName, 'shrinks')).toBe(3);
    await store.save('shrinks', patterned(1_000_000, 8));
    expect(await chunkCount(databaseName, 'shrinks')).toBe(1);
    expect(sameBytes(await store.load('shrinks'), patterned(1_000_000, 8))).toBe(true);
    await store.delete('shrinks');
    expect(await chunkCount(databaseName, 'shrinks')).toBe(0);
    expect(await store.load('shrinks')).toBeUndefined();
    expect(sameBytes(await store.load('neighbour'), patterned(1000, 7))).toBe(true);
  });

  it('a save that throws midway (after the manifest and a chunk were placed) leaves the old value', async () => {
    const { databaseName, store } = storeOn();
    const old = patterned(40_000_000, 9);
    await store.save('kept', old);
    const failure = new DOMException('simulated failure', 'UnknownError');
    const save = withFailingChunkPut(
      2,
      () => {
        throw failure;
      },
      () => store.save('kept', patterned(20_000_000, 10)),
    );
    await expect(save).rejects.toThrow(
      /Session "kept": saving to IndexedDB .* failed .*simulated failure.*unchanged/,
    );
    await expect(save).rejects.toHaveProperty('cause', failure);
    expect(sameBytes(await store.load('kept'), patterned(40_000_000, 9))).toBe(true);
    expect(await chunkCount(databaseName, 'kept')).toBe(3);
  });

  it('a save whose transaction aborts after its requests were placed leaves the old value', async () => {
    const { store } = storeOn();
    await store.save('kept', patterned(20_000_000, 11));
    const save = withFailingChunkPut(
      2,
      (objectStore, put) => {
        const placed = put();
        objectStore.transaction.abort(); // as a tab closing midway would
        return placed;
      },
      () => store.save('kept', patterned(40_000_000, 12)),
    );
    await expect(save).rejects.toThrow(/was aborted/);
    expect(sameBytes(await store.load('kept'), patterned(20_000_000, 11))).toBe(true);
  });

  it('a full quota, thrown or aborting the transaction, says so, keeps the cause and the old value', async () => {
    const { store } = storeOn();
    await store.save('quota', patterned(1000, 13));
    const quota = new DOMException('simulated quota', 'QuotaExceededError');
    const thrown = withFailingChunkPut(
      1,
      () => {
        throw quota;
      },
      () => store.save('quota', patterned(2000, 14)),
    );
    await expect(thrown).rejects.toThrow(/storage quota is full.*navigator\.storage\.persist\(\)/);
    await expect(thrown).rejects.toHaveProperty('cause', quota);
    const aborted = withFailingChunkPut(
      1,
      (objectStore, put) => {
        const placed = put();
        Object.defineProperty(objectStore.transaction, 'error', { value: quota }); // the browser's abort
        objectStore.transaction.abort();
        return placed;
      },
      () => store.save('quota', patterned(2000, 15)),
    );
    await expect(aborted).rejects.toThrow(/storage quota is full.*Delete sessions/);
    await expect(aborted).rejects.toHaveProperty('cause', quota);
    expect(sameBytes(await store.load('quota'), patterned(1000, 13))).toBe(true);
  });

  it('two stores on one database see each other’s saves and deletes (a page reloaded)', async () => {
    const { databaseName, store: before } = storeOn();
    const after = createIndexedDbSessionStore({ databaseName });
    await before.save('reloaded', patterned(20_000_000, 16));
    expect(sameBytes(await after.load('reloaded'), patterned(20_000_000, 16))).toBe(true);
    await after.save('reloaded', patterned(500, 17));
    expect(sameBytes(await before.load('reloaded'), patterned(500, 17))).toBe(true);
    await before.delete('reloaded');
    expect(await after.load('reloaded')).toBeUndefined();
  });

  it('keeps working after another tab deletes its database (closed on versionchange, opened again)', async () => {
    const { databaseName, store } = storeOn();
    await store.save('gone', patterned(100, 18));
    await deleteDatabase(databaseName); // rejects if the store's connection blocked it
    expect(await store.load('gone')).toBeUndefined();
    await store.save('gone', patterned(100, 19));
    expect(sameBytes(await store.load('gone'), patterned(100, 19))).toBe(true);
  });

  it('says a saved session is damaged when its chunks do not add up to its manifest', async () => {
    const { databaseName, store } = storeOn();
    await store.save('damaged', patterned(20_000_000, 20));
    await inspect(databaseName, (transaction) =>
      request(transaction.objectStore(chunkStore).delete(['damaged', 1])),
    );
    await expect(store.load('damaged')).rejects.toThrow(/Session "damaged": the saved session .* is damaged/);
  });

  it('rejects with SessionStoreUnavailableError where there is no IndexedDB, and works once there is', async () => {
    const { store } = storeOn();
    vi.stubGlobal('indexedDB', undefined);
    const save = store.save('nowhere', patterned(10, 21));
    await expect(save).rejects.toSatisfy((error) => SessionStoreUnavailableError.isInstance(error));
    await expect(save).rejects.toThrow(/Session "nowhere".*IndexedDB is not available here.*opaque origin/);
    await expect(store.load('nowhere')).rejects.toSatisfy((error) =>
      SessionStoreUnavailableError.isInstance(error),
    );
    vi.unstubAllGlobals();
    await store.save('nowhere', patterned(10, 21));
    expect(sameBytes(await store.load('nowhere'), patterned(10, 21))).toBe(true);
  });

  it('rejects with SessionStoreUnavailableError when the browser refuses or blocks the open', async () => {
    const { store } = storeOn();
    const denied = new DOMException('access to the Indexed Database API is denied', 'SecurityError');
    vi.stubGlobal('indexedDB', {
      open: () => {
        throw denied;
      },
    });
    await expect(store.save('refused', patterned(10, 22))).rejects.toSatisfy(
      (error) =>
        SessionStoreUnavailableError.isInstance(error) && (error as Error).message.includes('SecurityError'),
    );
    vi.stubGlobal('indexedDB', {
      open: () => {
        const pending = {} as IDBOpenDBRequest;
        setTimeout(() => pending.onblocked?.(new Event('blocked') as IDBVersionChangeEvent));
        return pending;
      },
    });
    await expect(store.load('blocked')).rejects.toThrow(
      /is blocked: another tab or worker .* Close or reload/,
    );
  });
});

describe('requestPersistentStorage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks navigator.storage.persist() and answers what it granted', async () => {
    const persist = vi.fn(async () => true);
    vi.stubGlobal('navigator', { storage: { persist } });
    expect(await requestPersistentStorage()).toBe(true);
    expect(persist).toHaveBeenCalledOnce();
    vi.stubGlobal('navigator', { storage: { persist: async () => false } });
    expect(await requestPersistentStorage()).toBe(false);
  });

  it('answers false where persist() is missing (a worker, an old browser) or refused', async () => {
    vi.stubGlobal('navigator', { storage: {} });
    expect(await requestPersistentStorage()).toBe(false);
    vi.stubGlobal('navigator', {});
    expect(await requestPersistentStorage()).toBe(false);
    vi.stubGlobal('navigator', {
      storage: { persist: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
    });
    expect(await requestPersistentStorage()).toBe(false);
  });

  it('answers a boolean from Chromium itself', async () => {
    expect(typeof (await requestPersistentStorage())).toBe('boolean');
  });
});

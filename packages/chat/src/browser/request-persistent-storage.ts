/**
 * Asks the browser to keep this site's storage — the sessions of `createIndexedDbSessionStore`
 * included — under storage pressure: by default a browser may evict a site's IndexedDB data when the
 * disk fills up, and with it every saved session. Resolves to whether storage is persistent
 * (`navigator.storage.persist()`); false where that is not available or refused. Browsers expose it to
 * pages only, not to workers (false there): call it from the page that starts the worker. Chromium may
 * grant it without a prompt to a site the person uses often (or has installed); Firefox asks.
 */
export async function requestPersistentStorage(): Promise<boolean> {
  const storage = (globalThis as { navigator?: { storage?: { persist?: () => Promise<boolean> } } }).navigator
    ?.storage;
  if (typeof storage?.persist !== 'function') return false;
  try {
    return (await storage.persist()) === true;
  } catch {
    return false;
  }
}

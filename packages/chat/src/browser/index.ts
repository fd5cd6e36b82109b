export {
  createIndexedDbSessionStore,
  type IndexedDbSessionStoreOptions,
} from './indexeddb-session-store.js';
export { requestPersistentStorage } from './request-persistent-storage.js';

export {
  runSessionLeasesConformance,
  type SessionLeasesSubject,
} from './run-session-leases-conformance.js';
export {
  runSessionStoreConformance,
  type SessionStoreConformanceOptions,
  type SessionStoreSubject,
} from './run-session-store-conformance.js';

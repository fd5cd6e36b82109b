export type { RedisClient } from './redis-client.js';
export { createRedisSessionLeases, type RedisSessionLeasesOptions } from './redis-session-leases.js';
export { createRedisSessionStore, type RedisSessionStoreOptions } from './redis-session-store.js';

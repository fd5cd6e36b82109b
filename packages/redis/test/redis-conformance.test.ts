import { runSessionLeasesConformance, runSessionStoreConformance } from '@sirllm/chat/conformance';
import { describe } from 'vitest';
import { createRedisSessionLeases, createRedisSessionStore } from '../src/index.js';
import { redisAvailable, startTestRedis } from './redis-server.js';

// The SessionStore and SessionLeases contracts against a real redis-server started for this file.

describe.skipIf(!redisAvailable)('Redis', () => {
  let counter = 0;
  runSessionStoreConformance('Redis store (64 KiB chunks)', async () => {
    const redis = await startTestRedis();
    const client = await redis.client();
    const prefix = `conformance-${counter++}:`;
    return {
      store: createRedisSessionStore({ client, prefix, chunkBytes: 64 * 1024 }),
      leases: createRedisSessionLeases({ client, prefix }),
      dispose: () => redis.dispose(),
    };
  });
  runSessionLeasesConformance('Redis leases', async (leaseMs) => {
    const redis = await startTestRedis();
    return {
      leases: createRedisSessionLeases({ client: await redis.client(), leaseMs }),
      dispose: () => redis.dispose(),
    };
  });
});

import { SessionStoreUnavailableError } from '@sirllm/chat';
import { describe, expect, it } from 'vitest';
import { createRedisSessionLeases, createRedisSessionStore } from '../src/index.js';
import { redisAvailable, startTestRedis } from './redis-server.js';

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);

describe.skipIf(!redisAvailable)('Redis store under faults', () => {
  it('a save that dies between its chunks and its manifest leaves the previous snapshot, whole', async () => {
    const redis = await startTestRedis();
    try {
      const client = await redis.client();
      const store = createRedisSessionStore({ client, chunkBytes: 1000 });
      await store.save('s', bytes(5000, 1));
      const dying = createRedisSessionStore({
        client,
        chunkBytes: 1000,
        onChunksWritten: () => {
          throw new Error('process killed here');
        },
      });
      await expect(dying.save('s', bytes(7000, 2))).rejects.toThrow('process killed here');
      expect(await store.load('s')).toEqual(bytes(5000, 1));
      await store.save('s', bytes(3000, 3));
      expect(await store.load('s')).toEqual(bytes(3000, 3));
    } finally {
      await redis.dispose();
    }
  });

  it('with Redis down, every operation fails with the typed, retryable SessionStoreUnavailableError; after a restart all works and the data is back', async () => {
    const redis = await startTestRedis({ persistence: true });
    try {
      const client = await redis.client();
      const store = createRedisSessionStore({ client });
      const leases = createRedisSessionLeases({ client, leaseMs: 1000 });
      await store.save('kept', bytes(100, 9));
      await redis.stop();
      for (const attempt of [
        store.save('s', bytes(10, 1)),
        store.load('kept'),
        store.delete('kept'),
        leases.acquire('s', { waitMs: 0 }),
      ]) {
        const error = await attempt.then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(SessionStoreUnavailableError.isInstance(error), String(error)).toBe(true);
        expect((error as SessionStoreUnavailableError).retryable).toBe(true);
        expect((error as Error).message).toMatch(/unavailable/);
      }
      await redis.start();
      for (let attempt = 0; attempt < 100 && client.status !== 'ready'; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await store.load('kept')).toEqual(bytes(100, 9));
      const lease = await leases.acquire('s', { waitMs: 0 });
      await store.save('s', bytes(10, 1), { fence: lease.fence });
      await lease.release();
      expect(await store.load('s')).toEqual(bytes(10, 1));
    } finally {
      await redis.dispose();
    }
  });
});

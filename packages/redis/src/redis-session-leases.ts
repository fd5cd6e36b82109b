import { LeaseLostError, type SessionLease, type SessionLeases, waitForLease } from '@sirllm/chat';
import { InvalidOptionError, requireInteger } from '@sirllm/core';
import type { RedisClient } from './redis-client.js';
import { sessionKeys } from './redis-keys.js';
import { acquireLease, releaseLease, renewLease } from './redis-scripts.js';
import { orUnavailable } from './unavailable.js';

/** Options of {@link createRedisSessionLeases}. */
export interface RedisSessionLeasesOptions {
  /** The ioredis client (or any `RedisClient`) the leases run on. */
  readonly client: RedisClient;
  /** Key prefix (default `sirllm:`): the same as the store's, which fences against these leases. */
  readonly prefix?: string;
  /** Lease time (default 30 s): longer than a turn's longest pause between renewals (every third of it). */
  readonly leaseMs?: number;
}

/**
 * Session leases in one Redis: `SET lease NX PX` with a random token and `INCR fence` in one script;
 * renewal and release compare the token first, so a holder whose lease expired can neither extend nor
 * free the next holder's. Use one Redis (not a cluster of independent masters); the fence, checked by
 * the store on every save, covers a holder that outlived its lease.
 */
export function createRedisSessionLeases(options: RedisSessionLeasesOptions): SessionLeases {
  const { client } = options;
  if (typeof client?.eval !== 'function') {
    throw new InvalidOptionError({ option: 'client', value: client, expected: 'an ioredis client' });
  }
  const prefix = options.prefix ?? 'sirllm:';
  const leaseMs = requireInteger('leaseMs', options.leaseMs ?? 30_000, { minimum: 1 });

  const tryAcquire = async (sessionId: string): Promise<SessionLease | undefined> => {
    const keys = sessionKeys(prefix, sessionId);
    const token = globalThis.crypto.randomUUID();
    const fence = await orUnavailable(sessionId, 'acquiring its lease', () =>
      client.eval(acquireLease, 2, keys.lease, keys.fence, token, leaseMs),
    );
    if (fence === null || fence === undefined) return undefined;
    return {
      sessionId,
      fence: Number(fence),
      renew: async () => {
        const renewed = await orUnavailable(sessionId, 'renewing its lease', () =>
          client.eval(renewLease, 1, keys.lease, token, leaseMs),
        );
        if (Number(renewed) !== 1) throw new LeaseLostError({ sessionId });
      },
      release: async () => {
        await orUnavailable(sessionId, 'releasing its lease', () =>
          client.eval(releaseLease, 1, keys.lease, token),
        );
      },
    };
  };

  return {
    leaseMs,
    acquire: (sessionId, acquireOptions = {}) =>
      waitForLease(sessionId, () => tryAcquire(sessionId), {
        waitMs: acquireOptions.waitMs ?? leaseMs,
        signal: acquireOptions.signal,
      }),
  };
}

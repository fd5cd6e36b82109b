import { requireInteger } from '@sirllm/core';
import { LeaseLostError } from '../errors/lease-lost-error.js';
import type { SessionLease, SessionLeases } from './session-lease.js';
import { waitForLease } from './wait-for-lease.js';

/**
 * Leases within one process (for tests and single-process servers that want the same code path as a
 * scaled-out deployment). `newestFence` lets `createMemorySessionStore({ leases })` fence its saves.
 */
export function createMemorySessionLeases(
  options: { leaseMs?: number; now?: () => number } = {},
): SessionLeases & {
  /** The fence of the newest lease of `sessionId` (0 before its first). */
  newestFence(sessionId: string): number;
} {
  const leaseMs = requireInteger('leaseMs', options.leaseMs ?? 30_000, { minimum: 1 });
  const now = options.now ?? (() => Date.now());
  const held = new Map<string, { token: number; expires: number }>();
  const fences = new Map<string, number>();
  let tokens = 0;
  const tryAcquire = (sessionId: string): SessionLease | undefined => {
    const current = held.get(sessionId);
    if (current && current.expires > now()) return undefined;
    const token = ++tokens;
    const fence = (fences.get(sessionId) ?? 0) + 1;
    fences.set(sessionId, fence);
    held.set(sessionId, { token, expires: now() + leaseMs });
    const holds = () => {
      const entry = held.get(sessionId);
      return entry?.token === token && entry.expires > now() ? entry : undefined;
    };
    return {
      sessionId,
      fence,
      renew: async () => {
        const entry = holds();
        if (!entry) throw new LeaseLostError({ sessionId });
        entry.expires = now() + leaseMs;
      },
      release: async () => {
        if (held.get(sessionId)?.token === token) held.delete(sessionId);
      },
    };
  };
  return {
    leaseMs,
    newestFence: (sessionId) => fences.get(sessionId) ?? 0,
    acquire: (sessionId, acquireOptions = {}) =>
      waitForLease(sessionId, async () => tryAcquire(sessionId), {
        waitMs: acquireOptions.waitMs ?? leaseMs,
        signal: acquireOptions.signal,
      }),
  };
}

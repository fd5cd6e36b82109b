import { describe, expect, it } from 'vitest';
import { LeaseLostError } from '../errors/lease-lost-error.js';
import { LeaseUnavailableError } from '../errors/lease-unavailable-error.js';
import type { SessionLeases } from '../leases/session-lease.js';

/** Leases under test with the given lease time, and what frees them. */
export interface SessionLeasesSubject {
  /** The leases under test. */
  readonly leases: SessionLeases;
  /** Frees what the leases hold (a client, a server); called after each check. */
  dispose?(): Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The `SessionLeases` contract, as vitest suites: one holder at a time (also among concurrent
 * acquirers), fences that grow, waiting for a release, expiry and `LeaseLostError` on a late renewal, a
 * late release that does not free the next holder's lease, renewal that keeps a lease past its time,
 * and abort. `create(leaseMs)` makes leases with that lease time (the suite uses 300 ms).
 */
export function runSessionLeasesConformance(
  name: string,
  create: (leaseMs: number) => SessionLeasesSubject | Promise<SessionLeasesSubject>,
): void {
  const leaseMs = 300;
  const withLeases = async (check: (leases: SessionLeases) => Promise<void>) => {
    const subject = await create(leaseMs);
    try {
      await check(subject.leases);
    } finally {
      await subject.dispose?.();
    }
  };

  describe(`SessionLeases conformance: ${name}`, () => {
    it('one holder at a time: of ten concurrent acquirers exactly one wins; fences grow', () =>
      withLeases(async (leases) => {
        expect(leases.leaseMs).toBe(leaseMs);
        const attempts = await Promise.allSettled(
          Array.from({ length: 10 }, () => leases.acquire('contended', { waitMs: 0 })),
        );
        const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const attempt of attempts) {
          if (attempt.status === 'rejected')
            expect(LeaseUnavailableError.isInstance(attempt.reason)).toBe(true);
        }
        const first = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<SessionLeases['acquire']>>>).value;
        expect(first.fence).toBeGreaterThan(0);
        await first.release();
        const second = await leases.acquire('contended', { waitMs: 0 });
        expect(second.fence).toBeGreaterThan(first.fence);
        const other = await leases.acquire('another session', { waitMs: 0 });
        await Promise.all([second.release(), other.release()]);
      }));

    it('a waiting acquirer gets the lease when it is released', () =>
      withLeases(async (leases) => {
        const holder = await leases.acquire('handover');
        const waiting = leases.acquire('handover', { waitMs: 2000 });
        await pause(50);
        await holder.release();
        const next = await waiting;
        expect(next.fence).toBeGreaterThan(holder.fence);
        await next.release();
      }));

    it('an expired lease goes to the next acquirer; the old holder cannot renew it, nor release the new one', () =>
      withLeases(async (leases) => {
        const stalled = await leases.acquire('expiry');
        await pause(leaseMs + 100);
        const next = await leases.acquire('expiry', { waitMs: 0 });
        await expect(stalled.renew()).rejects.toSatisfy((error) => LeaseLostError.isInstance(error));
        await stalled.release(); // a no-op now
        await expect(leases.acquire('expiry', { waitMs: 0 })).rejects.toSatisfy((error) =>
          LeaseUnavailableError.isInstance(error),
        );
        await next.release();
      }));

    it('renewal keeps a lease past its time', () =>
      withLeases(async (leases) => {
        const holder = await leases.acquire('renewed');
        for (let step = 0; step < 4; step++) {
          await pause(leaseMs / 2);
          await holder.renew();
        }
        await expect(leases.acquire('renewed', { waitMs: 0 })).rejects.toSatisfy((error) =>
          LeaseUnavailableError.isInstance(error),
        );
        await holder.release();
      }));

    it('an aborted wait rejects with the signal’s reason', () =>
      withLeases(async (leases) => {
        const holder = await leases.acquire('aborted');
        const controller = new AbortController();
        const waiting = leases.acquire('aborted', { waitMs: 5000, signal: controller.signal });
        controller.abort(new Error('gave up'));
        await expect(waiting).rejects.toThrow('gave up');
        await holder.release();
      }));
  });
}

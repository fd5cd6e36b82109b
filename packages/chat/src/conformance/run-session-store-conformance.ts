import { describe, expect, it } from 'vitest';
import { StaleLeaseError } from '../errors/stale-lease-error.js';
import type { SessionLeases } from '../leases/session-lease.js';
import type { SessionStore } from '../session-store.js';

/** A store under test, fresh for each check, and what frees it. */
export interface SessionStoreSubject {
  /** The store under test. */
  readonly store: SessionStore;
  /** The leases the store fences against (needed when `store.fences`). */
  readonly leases?: SessionLeases;
  /** Frees what the store holds (a folder, a client); called after each check. */
  dispose?(): Promise<void>;
}

/** Options of {@link runSessionStoreConformance}. */
export interface SessionStoreConformanceOptions {
  /** The largest value saved (default 8 MiB): big enough to span several chunks of a chunking store. */
  readonly largeBytes?: number;
}

/** Deterministic bytes: a pattern seeded by `seed`, so two values differ everywhere. */
function patterned(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

function same(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * The `SessionStore` contract, as vitest suites: round trips of empty to multi-megabyte values (byte
 * exact, copies both ways), replacement, deletion, ids that are not file or key safe, concurrent saves
 * of one session (the survivor is one whole value, never a mix), and, for a store that `fences`, a save
 * with a stale lease refused with `StaleLeaseError` and leaving the stored value as it was.
 */
export function runSessionStoreConformance(
  name: string,
  create: () => SessionStoreSubject | Promise<SessionStoreSubject>,
  options: SessionStoreConformanceOptions = {},
): void {
  const largeBytes = options.largeBytes ?? 8 * 1024 * 1024;
  const withStore = async (check: (subject: SessionStoreSubject) => Promise<void>) => {
    const subject = await create();
    try {
      await check(subject);
    } finally {
      await subject.dispose?.();
    }
  };

  describe(`SessionStore conformance: ${name}`, () => {
    it('round-trips values byte for byte, from empty to several megabytes; loads nothing for an unknown id', () =>
      withStore(async ({ store }) => {
        expect(await store.load('never-saved')).toBeUndefined();
        for (const [index, length] of [0, 1, 1000, 300_000, largeBytes].entries()) {
          const value = patterned(length, index + 1);
          await store.save(`size-${length}`, value);
          expect(same(await store.load(`size-${length}`), value), `${length} bytes`).toBe(true);
        }
      }));

    it('keeps copies: changing the saved or the loaded array changes nothing stored', () =>
      withStore(async ({ store }) => {
        const value = patterned(4096, 7);
        const original = value.slice();
        await store.save('copies', value);
        value.fill(0);
        const loaded = await store.load('copies');
        expect(same(loaded, original)).toBe(true);
        loaded?.fill(1);
        expect(same(await store.load('copies'), original)).toBe(true);
      }));

    it('replaces on save, deletes on delete, and keeps sessions apart, whatever characters their ids hold', () =>
      withStore(async ({ store }) => {
        const ids = [
          'plain',
          'with/slash',
          '../escape',
          'colon:and*star',
          'ünïcödé ✓',
          'x'.repeat(200),
          'a b\tc',
        ];
        for (const [index, id] of ids.entries()) await store.save(id, patterned(100, index + 10));
        for (const [index, id] of ids.entries()) {
          expect(same(await store.load(id), patterned(100, index + 10)), id).toBe(true);
        }
        await store.save('plain', patterned(50, 99));
        expect(same(await store.load('plain'), patterned(50, 99))).toBe(true);
        await store.delete('with/slash');
        expect(await store.load('with/slash')).toBeUndefined();
        expect(same(await store.load('../escape'), patterned(100, 12))).toBe(true);
        await store.delete('never-saved'); // no error
      }));

    it('concurrent saves of one session leave one whole value, never a mix', () =>
      withStore(async ({ store }) => {
        const values = [1, 2, 3, 4, 5, 6].map((seed) => patterned(Math.min(largeBytes, 1_500_000), seed));
        await Promise.all(values.map((value) => store.save('contended', value)));
        const loaded = await store.load('contended');
        expect(values.some((value) => same(loaded, value))).toBe(true);
      }));

    it('a store that fences refuses a save with a stale lease and keeps the newer value', () =>
      withStore(async ({ store, leases }) => {
        if (!store.fences) return;
        if (!leases)
          throw new Error(`${name}: a store that fences needs its leases in the conformance subject`);
        const first = await leases.acquire('fenced');
        await store.save('fenced', patterned(2000, 1), { fence: first.fence });
        await first.release();
        const second = await leases.acquire('fenced');
        expect(second.fence).toBeGreaterThan(first.fence);
        const late = store.save('fenced', patterned(2000, 2), { fence: first.fence });
        await expect(late).rejects.toSatisfy((error) => StaleLeaseError.isInstance(error));
        expect(same(await store.load('fenced'), patterned(2000, 1))).toBe(true);
        await store.save('fenced', patterned(2000, 3), { fence: second.fence });
        expect(same(await store.load('fenced'), patterned(2000, 3))).toBe(true);
        await second.release();
      }));
  });
}

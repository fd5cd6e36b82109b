import type { Conversation } from '../conversation.js';
import type { SessionRegistry } from '../session-registry.js';
import type { SessionLeases } from './session-lease.js';

/** What one leased call needs: the session, the leases, the registry holding live sessions, the turn. */
export interface LeasedCall<T> {
  readonly sessionId: string;
  readonly leases: SessionLeases;
  readonly waitMs: number;
  readonly signal: AbortSignal | undefined;
  readonly registry: SessionRegistry;
  /** The turn, run on the session's conversation. */
  readonly turn: (conversation: Conversation) => Promise<T>;
}

/**
 * Runs calls of sessions shared between processes: per call, acquire the session's lease, drop the live
 * copy unless this process saved the newest snapshot (the lease's fence follows this process's last one),
 * run the turn while renewing the lease, save with the lease's fence, release. A call that fails in any
 * way — the turn, a lost lease, a refused or failed save — drops the live copy, so the next call restores
 * what the store holds: a failed call is never half-applied. Calls of one session in this process wait
 * for each other before they ask for the lease.
 */
export class LeasedCalls {
  /** The fence of the lease under which this process last saved each session it holds live. */
  readonly #savedFences = new Map<string, number>();
  readonly #queues = new Map<string, Promise<void>>();

  async run<T>(call: LeasedCall<T>): Promise<T> {
    const { sessionId } = call;
    const previous = this.#queues.get(sessionId) ?? Promise.resolve();
    let finished!: () => void;
    const mine = previous.then(() => new Promise<void>((resolve) => (finished = resolve)));
    this.#queues.set(sessionId, mine);
    await previous;
    try {
      return await this.#leased(call);
    } finally {
      finished();
      if (this.#queues.get(sessionId) === mine) this.#queues.delete(sessionId);
    }
  }

  async #leased<T>({ sessionId, leases, waitMs, signal, registry, turn }: LeasedCall<T>): Promise<T> {
    const lease = await leases.acquire(sessionId, { waitMs, ...(signal ? { signal } : {}) });
    let lost: unknown;
    const renewal = setInterval(
      () => {
        lease.renew().catch((error: unknown) => {
          lost ??= error;
        });
      },
      Math.max(1, Math.floor(leases.leaseMs / 3)),
    );
    try {
      if (registry.has(sessionId) && this.#savedFences.get(sessionId) !== lease.fence - 1) {
        await registry.discard(sessionId); // another process continued it since: restore its snapshot
      }
      this.#savedFences.delete(sessionId);
      try {
        // Turn and save in one run of the session: the registry cannot park it in between.
        const result = await registry.run(sessionId, async (conversation) => {
          const answer = await turn(conversation);
          if (lost) throw lost;
          await registry.saveNow(sessionId, conversation, { fence: lease.fence });
          return answer;
        });
        this.#savedFences.set(sessionId, lease.fence);
        return result;
      } catch (error) {
        await registry.discard(sessionId);
        throw error;
      }
    } finally {
      clearInterval(renewal);
      await lease.release().catch(() => undefined); // an expired lease is released by the server anyway
      this.#forgetParked(registry);
    }
  }

  /** Keeps the fence map to the sessions still live (the registry parks idle ones on its own). */
  #forgetParked(registry: SessionRegistry): void {
    if (this.#savedFences.size < 256) return;
    for (const id of this.#savedFences.keys()) if (!registry.has(id)) this.#savedFences.delete(id);
  }
}

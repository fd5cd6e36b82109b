import { type ChatMessage, InvalidOptionError, type KVBackend, wrapBackend } from '@sirllm/core';
import { createReferenceBackend, createTinyLlama } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import {
  ChatSessions,
  createMemorySessionLeases,
  createMemorySessionStore,
  type SessionLeases,
  type SessionStore,
  StaleLeaseError,
} from '../src/index.js';
import { createFileSessionStore } from '../src/node/index.js';

// Several ChatSessions ("processes") share one store and one lease service. Every call of a session
// must continue exactly where the last call, on whichever process, stopped: the replies and the final
// snapshot must equal one process running the whole conversation alone.

const model = createTinyLlama({ layers: 1, seed: 21 });
const question = (session: number, turn: number) =>
  `Session ${session}, question ${turn}: what is ${turn} plus ${session}?`;

function processOver(
  store: SessionStore,
  leases: SessionLeases,
  backend: KVBackend = createReferenceBackend({ model }),
) {
  return new ChatSessions({ backend, capacity: 96, sessionStore: store, leases, maxSessions: 2 });
}

/** Runs `turns` turns of each session, each call on the process `route` picks; returns the replies. */
async function converse(
  route: (session: number, turn: number) => ChatSessions,
  sessions: number,
  turns: number,
): Promise<string[][]> {
  const replies: string[][] = [];
  await Promise.all(
    Array.from({ length: sessions }, async (_, session) => {
      const history: ChatMessage[] = [];
      replies[session] = [];
      for (let turn = 0; turn < turns; turn++) {
        history.push({ role: 'user', content: question(session, turn) });
        const reply = await route(session, turn).turn({
          sessionId: `session-${session}`,
          history: [...history],
          maxTokens: 5,
          sampling: { temperature: 0 },
        });
        history.push({ role: 'assistant', content: reply.content });
        replies[session]?.push(reply.content);
      }
    }),
  );
  return replies;
}

describe('ChatSessions with leases: sessions handed between processes', () => {
  it('three processes, calls routed at random: the replies and the stored sessions equal one process alone', async () => {
    const leases = createMemorySessionLeases();
    const store = createMemorySessionStore({ leases });
    const processes = [0, 1, 2].map(() => processOver(store, leases));
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const shared = await converse(() => processes[Math.floor(random() * 3)] as ChatSessions, 6, 8);

    const aloneLeases = createMemorySessionLeases();
    const aloneStore = createMemorySessionStore({ leases: aloneLeases });
    const alone = processOver(aloneStore, aloneLeases);
    const expected = await converse(() => alone, 6, 8);
    expect(shared).toEqual(expected);
    for (let session = 0; session < 6; session++) {
      expect(await store.load(`session-${session}`)).toEqual(await aloneStore.load(`session-${session}`));
    }
  });

  it('a process whose lease expired mid-turn gets StaleLeaseError: the turn another process took over is the one stored', async () => {
    const leases = createMemorySessionLeases({ leaseMs: 40 });
    const store = createMemorySessionStore({ leases });
    let stall: Promise<void> | undefined;
    const slow = wrapBackend(createReferenceBackend({ model }), {
      sequence: {
        async append({ tokens, options, next }) {
          const pause = stall;
          stall = undefined;
          await pause;
          return next(tokens, options);
        },
      },
    });
    // A process whose renewals do not get through (a network partition, a stalled event loop).
    const unrenewed: SessionLeases = {
      leaseMs: leases.leaseMs,
      acquire: async (sessionId, options) => ({
        ...(await leases.acquire(sessionId, options)),
        renew: async () => {},
      }),
    };
    const paused = new ChatSessions({ backend: slow, capacity: 96, sessionStore: store, leases: unrenewed });
    const other = processOver(store, leases);
    const alone = processOver(
      createMemorySessionStore({ leases: createMemorySessionLeases() }),
      createMemorySessionLeases(),
    );
    const history: ChatMessage[] = [{ role: 'user', content: question(1, 0) }];
    const call = { sessionId: 's', maxTokens: 5, sampling: { temperature: 0 } };
    const first = await other.turn({ ...call, history });
    await alone.turn({ ...call, history });
    const next: ChatMessage[] = [
      ...history,
      { role: 'assistant', content: first.content },
      { role: 'user', content: question(1, 1) },
    ];
    stall = new Promise((resolve) => setTimeout(resolve, 150));
    const late = paused.turn({ ...call, history: next });
    // The client gives up on the paused process and sends the call again; the lease has expired by then.
    await new Promise((resolve) => setTimeout(resolve, 60));
    const taken = await other.turn({ ...call, history: next });
    const stored = await store.load('s');
    await expect(late).rejects.toSatisfy((error) => StaleLeaseError.isInstance(error));
    // The stale save changed nothing: the store holds the turn the other process ran, once.
    expect(await store.load('s')).toEqual(stored);
    const expected = await alone.turn({ ...call, history: next });
    expect(taken.content).toBe(expected.content);
    expect(taken.memory.turns).toBe(2);
    // And the paused process, called again, restores that session instead of using its own copy.
    const after = [
      ...next,
      { role: 'assistant' as const, content: taken.content },
      { role: 'user' as const, content: question(1, 2) },
    ];
    const resumed = await paused.turn({ ...call, history: after });
    expect(resumed.memory).toMatchObject({ turns: 3, rebuilt: false });
    expect(resumed.content).toBe((await alone.turn({ ...call, history: after })).content);
  });

  it('a process running another model refuses the session another model saved, with a typed error', async () => {
    const leases = createMemorySessionLeases();
    const store = createMemorySessionStore({ leases });
    const history: ChatMessage[] = [{ role: 'user', content: question(0, 0) }];
    await processOver(store, leases).turn({ sessionId: 's', history, maxTokens: 3 });
    const otherModel = processOver(
      store,
      leases,
      createReferenceBackend({ model: createTinyLlama({ layers: 1, seed: 22 }) }),
    );
    await expect(otherModel.turn({ sessionId: 's', history, maxTokens: 3 })).rejects.toThrow(
      InvalidOptionError,
    );
    expect(await store.load('s')).toBeDefined(); // left as it was
  });

  it('refuses leases over a store that does not fence', () => {
    const leases = createMemorySessionLeases();
    expect(
      () =>
        new ChatSessions({
          backend: createReferenceBackend({ model }),
          capacity: 64,
          sessionStore: createFileSessionStore('/tmp/never-used'),
          leases,
        }),
    ).toThrow(InvalidOptionError);
  });
});

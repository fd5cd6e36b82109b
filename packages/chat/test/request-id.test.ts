import { type ChatMessage, InvalidOptionError } from '@sirllm/core';
import { createReferenceBackend, createTinyLlama } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import {
  ChatSessions,
  createMemorySessionLeases,
  createMemorySessionStore,
  type SessionStore,
  SessionStoreUnavailableError,
} from '../src/index.js';

// A request id makes a retried call idempotent: when the session already recorded the call's turn
// (its save landed, the answer was lost on the way back), the retry gets the recorded reply instead of
// running the turn again. Without an id, the same history again regenerates the reply.

const model = createTinyLlama({ layers: 1, seed: 21 });
const call = { sessionId: 's', maxTokens: 5, sampling: { temperature: 0 } };
const history: ChatMessage[] = [{ role: 'user', content: 'Question 1: what is one plus three?' }];

describe('ChatTurnRequest.requestId', () => {
  it('a retry with the same id gets the recorded reply; another id, or none, runs the turn again', async () => {
    const chat = new ChatSessions({ backend: createReferenceBackend({ model }), capacity: 128 });
    const first = await chat.turn({ ...call, history, requestId: 'r1' });
    const retried = await chat.turn({ ...call, history, requestId: 'r1' });
    expect(retried).toEqual({ ...first, memory: { ...first.memory, replayed: true } });
    const regenerated = await chat.turn({ ...call, history, requestId: 'r2' });
    expect(regenerated.memory).toMatchObject({ rebuilt: true });
    expect(regenerated.memory.replayed).toBeUndefined();
    // r1 is no longer the last call answered: it runs again.
    expect((await chat.turn({ ...call, history, requestId: 'r1' })).memory.replayed).toBeUndefined();
    await expect(chat.turn({ ...call, history, requestId: '' })).rejects.toThrow(InvalidOptionError);
  });

  it('a save that landed but was reported failed: the retry replays, and the session holds the turn once', async () => {
    const leases = createMemorySessionLeases();
    const stored = createMemorySessionStore({ leases });
    let loseNextAnswer = false;
    const flaky: SessionStore = {
      fences: true,
      load: (id) => stored.load(id),
      delete: (id) => stored.delete(id),
      save: async (id, bytes, options) => {
        await stored.save(id, bytes, options);
        if (loseNextAnswer) {
          loseNextAnswer = false;
          throw new SessionStoreUnavailableError({
            sessionId: id,
            operation: 'saving',
            cause: new Error('connection reset'),
          });
        }
      },
    };
    const chat = new ChatSessions({
      backend: createReferenceBackend({ model }),
      capacity: 128,
      sessionStore: flaky,
      leases,
    });
    const alone = new ChatSessions({ backend: createReferenceBackend({ model }), capacity: 128 });
    const first = await chat.turn({ ...call, history, requestId: 't0' });
    await alone.turn({ ...call, history, requestId: 't0' });
    const next: ChatMessage[] = [
      ...history,
      { role: 'assistant', content: first.content },
      { role: 'user', content: 'And two plus six?' },
    ];
    loseNextAnswer = true;
    const failed = chat.turn({ ...call, history: next, requestId: 't1' });
    await expect(failed).rejects.toSatisfy(
      (error) => SessionStoreUnavailableError.isInstance(error) && error.retryable,
    );
    const retried = await chat.turn({ ...call, history: next, requestId: 't1' });
    const expected = await alone.turn({ ...call, history: next, requestId: 't1' });
    expect(retried.memory.replayed).toBe(true);
    expect(retried.content).toBe(expected.content);
    expect(retried.memory.turns).toBe(2); // not a third turn
    const after: ChatMessage[] = [
      ...next,
      { role: 'assistant', content: retried.content },
      { role: 'user', content: 'Thanks.' },
    ];
    const third = await chat.turn({ ...call, history: after, requestId: 't2' });
    expect(third).toEqual(await alone.turn({ ...call, history: after, requestId: 't2' }));
  });
});

import { type ChatMessage, InvalidOptionError } from '@sirllm/core';
import { createReferenceBackend, createTinyLlama } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import { ChatSessions, createMemorySessionLeases, createMemorySessionStore } from '../src/index.js';

// A browser tab can close at any moment: `save` puts a live session in the store without ending it, and
// `history` gives a restarted page the conversation to show. Checked against a program that never restarted.

const model = createTinyLlama({ layers: 1, seed: 33 });
const call = { sessionId: 'tab', maxTokens: 4, sampling: { temperature: 0 } };
const first: ChatMessage[] = [{ role: 'user', content: 'Remember the word lantern.' }];

describe('ChatSessions.save and history', () => {
  it('a new ChatSessions over the saved store continues exactly as the first one would have', async () => {
    const store = createMemorySessionStore();
    const tab = new ChatSessions({
      backend: createReferenceBackend({ model }),
      capacity: 48,
      sessionStore: store,
    });
    const steady = new ChatSessions({ backend: createReferenceBackend({ model }), capacity: 48 });
    const reply = await tab.turn({ ...call, history: first });
    await steady.turn({ ...call, history: first });
    await tab.save('tab');
    expect(tab.sessionCount).toBe(1); // still live after saving
    expect(await store.load('tab')).toBeInstanceOf(Uint8Array);

    // The "reloaded page": nothing shared with `tab` but the store.
    const reloaded = new ChatSessions({
      backend: createReferenceBackend({ model }),
      capacity: 48,
      sessionStore: store,
    });
    const shown = await reloaded.history('tab');
    expect(shown).toEqual([...first, { role: 'assistant', content: reply.content }]);
    const next: ChatMessage[] = [
      ...shown,
      { role: 'user', content: 'Which word did I ask you to remember?' },
    ];
    const continued = await reloaded.turn({ ...call, history: next });
    const expected = await steady.turn({ ...call, history: next });
    expect(continued.memory.rebuilt).toBe(false); // the saved cache was reused, not re-evaluated
    expect(continued.usage.cacheReadTokens).toBe(expected.usage.cacheReadTokens);
    expect(continued.content).toBe(expected.content);
    expect(continued.memory).toEqual(expected.memory);
  });

  it('history of a session never used is empty; save needs a store and no leases', async () => {
    const backend = createReferenceBackend({ model });
    expect(await new ChatSessions({ backend, capacity: 32 }).history('nobody')).toEqual([]);
    await expect(new ChatSessions({ backend, capacity: 32 }).save('tab')).rejects.toThrow(InvalidOptionError);
    const leases = createMemorySessionLeases();
    const leased = new ChatSessions({
      backend,
      capacity: 32,
      sessionStore: createMemorySessionStore({ leases }),
      leases,
    });
    await expect(leased.save('tab')).rejects.toThrow(/every turn is saved/u);
    await expect(new ChatSessions({ backend, capacity: 32 }).history('')).rejects.toThrow(InvalidOptionError);
  });
});

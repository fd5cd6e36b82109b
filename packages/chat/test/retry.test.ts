import {
  AbortedError,
  type ChatMessage,
  type KVBackend,
  MemorySession,
  sirllm,
  wrapBackend,
} from '@sirllm/core';
import { createReferenceBackend, createTinyLlama, testkitChatTemplate } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import { Conversation } from '../src/conversation.js';
import { TurnRenderer } from '../src/turn-renderer.js';

// A call that fails (an abort mid-prefill or mid-reply) must leave the conversation as it was, so
// that the retry (the AI SDK re-sends the same prompt) gives exactly what one clean attempt gives. The
// witness is a second conversation that never failed: its ledger (tokens, decayed scores, turns) and
// transcript are the independent reference. (Capacities where the reply itself never has to evict:
// cells a failed reply evicted cannot come back, as `runTurn` documents.)

const model = createTinyLlama({ layers: 1, seed: 21 });
const renderer = new TurnRenderer(testkitChatTemplate, 'incremental');
const generate = { maxTokens: 6, sampling: { temperature: 0 } };

async function conversation(backend: KVBackend, capacity: number, chunkSize?: number) {
  const session = await MemorySession.create({
    backend,
    capacity,
    policy: sirllm({ sinks: 2, decay: 0.5 }),
    ...(chunkSize ? { chunkSize } : {}),
  });
  return new Conversation(session, renderer);
}

/** Runs the turns of `histories` one after another, recording each reply into the next history. */
async function converse(target: Conversation, turns: readonly string[]): Promise<ChatMessage[]> {
  const history: ChatMessage[] = [];
  for (const text of turns) {
    history.push({ role: 'user', content: text });
    const { reply } = await target.runTurn(history, generate, (result) => ({ recorded: result.text }));
    history.push({ role: 'assistant', content: reply.recorded });
  }
  return history;
}

function state(target: Conversation) {
  const { ledger, transcript } = target.session;
  return {
    transcript: transcript.tokens(),
    resident: Array.from(ledger.tokens.subarray(0, ledger.length)),
    scores: Array.from(ledger.scores.subarray(0, ledger.length)),
    turns: Array.from(ledger.turns.subarray(0, ledger.length)),
    turn: target.session.turn,
    messages: target.messages,
  };
}

const turns = ['Question 1: what is one plus three?', 'Question 2: and two plus six?'];
const retried = 'Question 3: now add them up, please.';

describe('Conversation.runTurn: a failed attempt leaves the conversation as it was', () => {
  it('aborted mid-reply: the retry gives the reply, ledger and transcript of one clean attempt', async () => {
    const witness = await conversation(createReferenceBackend({ model }), 256);
    const history = [...(await converse(witness, turns)), { role: 'user' as const, content: retried }];
    const clean = await witness.runTurn(history, generate, (result) => ({ recorded: result.text }));
    expect(clean.result.tokens.length).toBeGreaterThan(2);

    const subject = await conversation(createReferenceBackend({ model }), 256);
    await converse(subject, turns);
    const before = state(subject);
    const controller = new AbortController();
    let tokens = 0;
    const attempt = subject.runTurn(
      history,
      {
        ...generate,
        signal: controller.signal,
        onToken: () => {
          if (++tokens === 2) controller.abort();
        },
      },
      (result) => ({ recorded: result.text }),
    );
    await expect(attempt).rejects.toSatisfy((error) => AbortedError.isInstance(error));
    // Nothing of the failed reply is left: same transcript as before the attempt.
    expect(subject.session.transcript.tokens()).toEqual(before.transcript);
    const retry = await subject.runTurn(history, generate, (result) => ({ recorded: result.text }));
    expect(retry.result.text).toBe(clean.result.text);
    expect(retry.prepared.rebuilt).toBe(false);
    expect(state(subject)).toEqual(state(witness));
  });

  it('aborted mid-prefill after eviction: the retry neither evicts nor decays again', async () => {
    let appends = 0;
    let abortAt = Number.POSITIVE_INFINITY;
    const controller = new AbortController();
    const failing = wrapBackend(createReferenceBackend({ model }), {
      sequence: {
        async append({ tokens, options, next }) {
          if (tokens.length > 0 && ++appends === abortAt) controller.abort();
          return next(tokens, options);
        },
      },
    });
    // Capacity 40 with chunks of 4: the third turn's prompt must evict (beginTurn) and is fed in chunks.
    const witness = await conversation(createReferenceBackend({ model }), 40, 4);
    const history = [...(await converse(witness, turns)), { role: 'user' as const, content: retried }];
    const subject = await conversation(failing, 40, 4);
    await converse(subject, turns);
    const before = subject.session.statistics;
    abortAt = appends + 2; // the second chunk of the third turn's prompt
    const clean = await witness.runTurn(history, generate, (result) => ({ recorded: result.text }));
    expect(witness.session.statistics.evicted).toBeGreaterThan(before.evicted);

    const attempt = subject.runTurn(history, { ...generate, signal: controller.signal }, (result) => ({
      recorded: result.text,
    }));
    await expect(attempt).rejects.toSatisfy((error) => AbortedError.isInstance(error));
    expect(subject.session.transcript.length).toBe(before.transcriptLength);
    const retry = await subject.runTurn(history, generate, (result) => ({ recorded: result.text }));
    expect(retry.result.text).toBe(clean.result.text);
    expect(state(subject)).toEqual(state(witness));
    expect(subject.session.statistics.evicted).toBe(witness.session.statistics.evicted);
  });

  it('a reply the caller refuses is not recorded; the same history again continues that turn', async () => {
    const witness = await conversation(createReferenceBackend({ model }), 256);
    const history = [...(await converse(witness, turns)), { role: 'user' as const, content: retried }];
    await witness.runTurn(history, generate, (result) => ({ recorded: result.text }));
    const subject = await conversation(createReferenceBackend({ model }), 256);
    await converse(subject, turns);
    await expect(
      subject.runTurn(history, generate, () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await subject.runTurn(history, generate, (result) => ({ recorded: result.text }));
    expect(state(subject)).toEqual(state(witness));
  });
});

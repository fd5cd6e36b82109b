import { AbortedError, MemorySession } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { expectedGreedy } from './expected-replies.js';
import { type BackendFactory, type OpenedBackend, openForSuite } from './user-path-backends.js';

/** A first and a second turn for each model: chosen so that the greedy replies run past the abort point. */
function turnsFor(opened: OpenedBackend): { first: number[]; second: number[] } {
  const { backend } = opened;
  if (opened.model === 'testkit') {
    const template = backend.chatTemplate;
    if (!template) throw new Error(`${opened.name} has no chat template`);
    return {
      first: backend.tokenize(
        template.render([{ role: 'user', content: 'Tell me about the weather in spring.' }], {
          addGenerationPrompt: true,
        }),
        { special: true },
      ),
      second: backend.tokenize(' And in autumn?'),
    };
  }
  // The bundled model continues plain text for a few tokens before it ends the turn.
  return { first: backend.tokenize('Where would you find'), second: backend.tokenize(' a book?') };
}

const maxTokens = 12;
const abortAfter = 3;

/**
 * `MemorySession.respond` on one backend: a streamed greedy reply, an abort in the middle of a reply
 * that keeps the partial reply and leaves the session ready for the next turn, and on the bundled model
 * its trained behaviour over two turns.
 */
export function memorySessionSuite(factory: BackendFactory): void {
  describe(`MemorySession.respond on ${factory.name}`, () => {
    const use = openForSuite(factory);

    it('streams the greedy reply token by token; the pieces concatenate to the reply text', async () => {
      const opened = use();
      const { backend } = opened;
      const { first } = turnsFor(opened);
      const expected = await expectedGreedy(opened, first, maxTokens);
      expect(expected.length).toBeGreaterThan(abortAfter);
      const session = await MemorySession.create({ backend, capacity: 256 });
      const pieces: string[] = [];
      const streamed: number[] = [];
      const result = await session.respond(first, {
        maxTokens,
        onToken: ({ token, text }) => {
          pieces.push(text);
          if (token >= 0) streamed.push(token);
        },
      });
      expect(result.tokens).toEqual(expected);
      expect(streamed).toEqual(expected);
      expect(result.finishReason).toBe(expected.length === maxTokens ? 'max-tokens' : 'end-of-generation');
      expect(pieces.join('')).toBe(result.text);
      expect(result.text).toBe(backend.detokenize(expected));
      // Really streamed: the text arrived in several pieces, not at the end.
      expect(pieces.filter((piece) => piece !== '').length).toBeGreaterThan(1);
      expect(session.transcript.tokens()).toEqual([...first, ...expected]);
      expect(session.statistics).toMatchObject({
        resident: first.length + expected.length,
        evicted: 0,
        ingested: first.length,
        generated: expected.length,
      });
      await session.dispose();
    });

    it('an abort mid-reply throws AbortedError with the partial reply, which stays; the next respond continues after it', async () => {
      const opened = use();
      const { backend } = opened;
      const { first, second } = turnsFor(opened);
      const expected = await expectedGreedy(opened, first, maxTokens);
      const session = await MemorySession.create({ backend, capacity: 256 });
      const controller = new AbortController();
      const pieces: string[] = [];
      let generated = 0;
      const error = await session
        .respond(first, {
          maxTokens,
          signal: controller.signal,
          onToken: ({ token, text }) => {
            pieces.push(text);
            if (token >= 0 && ++generated === abortAfter) controller.abort();
          },
        })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(AbortedError.isInstance(error), String(error)).toBe(true);
      const partial = (error as AbortedError).partial;
      expect(partial?.tokens).toEqual(expected.slice(0, abortAfter));
      expect(partial?.text).toBe(pieces.join(''));
      expect(backend.detokenize(expected).startsWith(partial?.text ?? '\u0000')).toBe(true);
      // The partial reply is kept (resident and in the transcript), as AbortedError documents.
      const history = [...first, ...expected.slice(0, abortAfter)];
      expect(session.transcript.tokens()).toEqual(history);
      expect(session.statistics.resident).toBe(history.length);

      const next = await session.respond(second, { maxTokens: 6 });
      const expectedNext = await expectedGreedy(opened, [...history, ...second], 6);
      expect(next.tokens).toEqual(expectedNext);
      expect(next.text).toBe(backend.detokenize(expectedNext));
      expect(session.transcript.tokens()).toEqual([...history, ...second, ...expectedNext]);
      expect(session.statistics.turns).toBe(2);
      await session.dispose();
    });

    if (factory.model !== 'bundled') return;

    it('the bundled model acknowledges a grocery request with "OK" and names the grocery a turn later', async () => {
      const { backend } = use();
      const session = await MemorySession.create({ backend, capacity: 256 });
      const request = await session.respond(
        '<s><|user|>I want you to buy the GROCERY: [cheese].<|end|><|assistant|>',
        { special: true, maxTokens: 8 },
      );
      expect(request.text).toBe('OK');
      expect(request.finishReason).toBe('end-of-generation');
      const recall = await session.respond(
        '<|end|><|user|>Which one is the GROCERY that I want you to buy earlier?<|end|><|assistant|>',
        { special: true, maxTokens: 8 },
      );
      expect(recall.text).toBe('cheese');
      expect(recall.finishReason).toBe('end-of-generation');
      await session.dispose();
    });
  });
}

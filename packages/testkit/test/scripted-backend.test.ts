import {
  AbortedError,
  BackendError,
  CapacityExceededError,
  DisposedError,
  InvalidOptionError,
  MemorySession,
  streamingLLM,
} from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import {
  asciiVocabulary,
  createScriptedBackend,
  letterVocabulary,
  logitScript,
  modularScript,
  ScriptedBackend,
} from '../src/index.js';

describe('createScriptedBackend', () => {
  it('README: a logit script answers as written', async () => {
    const backend = createScriptedBackend({
      vocabulary: asciiVocabulary([' yes', ' no']),
      script: logitScript((text) => (text.endsWith('?') ? { ' yes': 3, ' no': 1 } : {})),
    });
    const session = await MemorySession.create({ backend, capacity: 64, policy: streamingLLM() });
    const reply = await session.respond('Is it raining?', { maxTokens: 1 });
    expect(reply.text).toBe(' yes');
    expect(session.ledger.scores[session.ledger.length - 1]).toBeCloseTo(
      Math.log(Math.exp(3) + Math.exp(1) + 96) - 3,
      5,
    );
  });

  it('modular script: surprisal t mod 13 + 0.5, next (7t + 3) mod V, argmax likewise', async () => {
    const backend = createScriptedBackend();
    expect(backend.info.vocabularySize).toBe(64);
    const sequence = await backend.createSequence({ capacity: 8 });
    const result = await sequence.append([1, 20, 5], { argmax: true, sample: {} });
    expect(Array.from(result.surprisal)).toEqual([Number.POSITIVE_INFINITY, 7.5, 5.5]);
    expect(Array.from(result.argmax ?? [])).toEqual([10, 143 % 64, 38]);
    expect(result.next).toEqual({ token: 38, surprisal: modularScript().surprisalOf(38) });
    await sequence.retain(Uint32Array.of(0, 2));
    expect(sequence.tokens).toEqual([1, 5]);
    expect(backend.calls).toEqual({ append: 1, retain: 1, appendedTokens: 3 });
  });

  it('logit script: log-softmax of the rule over the resident text; evicted text is invisible', async () => {
    const backend = createScriptedBackend({
      vocabulary: asciiVocabulary(['~']),
      script: logitScript((text) => (text.includes('k') ? { x: 2 } : {})),
    });
    const size = backend.info.vocabularySize;
    const sequence = await backend.createSequence({ capacity: 8 });
    const [k, a, x] = backend.tokenize('kax');
    const { surprisal, argmax } = await sequence.append([k!, a!, x!], { argmax: true });
    expect(surprisal[1]).toBeCloseTo(Math.log(Math.exp(2) + size - 1), 5);
    expect(surprisal[2]).toBeCloseTo(Math.log(Math.exp(2) + size - 1) - 2, 5);
    expect(Array.from(argmax ?? [])).toEqual([x, x, x]);
    await sequence.retain(Uint32Array.of(1, 2));
    const after = await sequence.append([x!], { argmax: true });
    expect(after.surprisal[0]).toBeCloseTo(Math.log(size), 5);
    expect(after.argmax?.[0]).toBe(0); // all logits tie: the lowest id
  });

  it('tokenizes by greedy longest match, special texts only when asked', () => {
    const backend = createScriptedBackend({
      vocabulary: asciiVocabulary(['ab', 'abc', '<|end|>']),
      specialTexts: ['<|end|>'],
    });
    expect(backend.tokenize('abcab')).toEqual([1, 0]);
    expect(backend.tokenize('<|end|>', { special: true })).toEqual([2]);
    expect(backend.detokenize(backend.tokenize('<|end|>'))).toBe('<|end|>');
    expect(backend.tokenize('<|end|>')).toHaveLength(7);
    expect(backend.detokenize([])).toBe('');
    expect(() => backend.tokenize('é')).toThrow(InvalidOptionError);
    expect(createScriptedBackend().tokenize('abz')).toEqual([0, 1, 25]);
    expect(letterVocabulary(28).slice(25)).toEqual(['z', 'a', 'b']);
  });

  it('keeps the contract: atomic append, capacity, bad input, dispose', async () => {
    const backend = new ScriptedBackend();
    const sequence = await backend.createSequence({ capacity: 4 });
    await sequence.append([1, 2]);
    const controller = new AbortController();
    backend.beforeToken = (index) => {
      if (index === 1) controller.abort();
    };
    await expect(sequence.append([3, 4], { signal: controller.signal })).rejects.toSatisfy(
      AbortedError.isInstance,
    );
    expect(sequence.tokens).toEqual([1, 2]);
    backend.beforeToken = () => {};
    await expect(sequence.append([3, 4, 5])).rejects.toSatisfy(CapacityExceededError.isInstance);
    await expect(sequence.append([64])).rejects.toThrow(InvalidOptionError);
    await expect(sequence.retain(Uint32Array.of(1, 0))).rejects.toThrow(InvalidOptionError);
    expect(sequence.length).toBe(2);
    await expect(backend.createSequence({ capacity: 0 })).rejects.toThrow(InvalidOptionError);
    expect(() => createScriptedBackend({ vocabularly: [] } as never)).toThrow(/did you mean vocabulary/);
    await backend.dispose();
    expect(sequence.disposed).toBe(true);
    await expect(sequence.append([1])).rejects.toSatisfy(DisposedError.isInstance);
    await expect(backend.createSequence({ capacity: 4 })).rejects.toSatisfy(DisposedError.isInstance);
  });

  it('has chatTemplate and compileJsonSchema only when given; honours a constraint', async () => {
    const bare = createScriptedBackend();
    expect('chatTemplate' in bare).toBe(false);
    expect('compileJsonSchema' in bare).toBe(false);
    expect('restoreSequence' in bare).toBe(false);
    const template = { name: 't', render: () => '' };
    const constraint = {
      description: 'odd',
      start: () => ({ complete: false, allows: (t: number) => t % 2 === 1, accept() {} }),
    };
    const backend = createScriptedBackend({
      chatTemplate: template,
      compileJsonSchema: async () => constraint,
    });
    expect(backend.chatTemplate).toBe(template);
    expect(await backend.compileJsonSchema?.({})).toBe(constraint);
    const sequence = await backend.createSequence({ capacity: 4 });
    await sequence.append([1]); // the script's pick is 10: the first odd token from it is 11
    expect((await sequence.append([], { sample: {}, constraint: constraint.start() })).next?.token).toBe(11);
    const none = { complete: true, allows: () => false, accept() {} };
    await expect(sequence.append([], { sample: {}, constraint: none })).rejects.toSatisfy(
      BackendError.isInstance,
    );
    expect(sequence.length).toBe(1);
  });
});

import { letterVocabulary, ScriptedBackend } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import {
  BackendError,
  CapabilityUnsupportedError,
  type ConstraintState,
  createRandom,
  InvalidOptionError,
  type KVBackend,
  MemorySession,
  normaliseSamplingOptions,
  type SamplingConstraint,
  sampleConstrainedToken,
  streamingLLM,
  wrapBackend,
} from '../src/index.js';

/** A toy grammar: exactly the tokens of `target`, in order; complete after the last one. */
function sequenceConstraint(target: readonly number[]): SamplingConstraint {
  return {
    description: `the tokens ${target.join(' ')}`,
    start(): ConstraintState {
      let position = 0;
      return {
        get complete() {
          return position === target.length;
        },
        allows: (token) => target[position] === token,
        accept(token) {
          if (target[position] !== token) {
            throw new InvalidOptionError({ option: 'token', value: token, expected: `${target[position]}` });
          }
          position++;
        },
      };
    },
  };
}

/**
 * The scripted backend with constrained sampling: a refused pick moves on to the next allowed id.
 * `ignoreConstraint` gives a backend that breaks the contract (its sequences never see the constraint).
 */
function constrainedScriptedBackend({ ignoreConstraint = false } = {}): KVBackend {
  const backend = new ScriptedBackend({
    vocabulary: letterVocabulary(26),
    compileJsonSchema: async () => {
      throw new Error('not used: tests pass constraints directly');
    },
  });
  if (!ignoreConstraint) return backend;
  return wrapBackend(backend, {
    sequence: { append: ({ tokens, options, next }) => next(tokens, { ...options, constraint: undefined }) },
  });
}

const letters = (text: string) => Array.from(text, (character) => character.charCodeAt(0) - 97);

describe('MemorySession with a sampling constraint', () => {
  it('generates exactly the constrained text and ends with "constraint-complete"', async () => {
    const backend = constrainedScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 64 });
    await session.ingest(letters('question'));
    const result = await session.generate({ constraint: sequenceConstraint(letters('yes')), maxTokens: 50 });
    expect(result.text).toBe('yes');
    expect(result.finishReason).toBe('constraint-complete');
    expect(result.tokens).toEqual(letters('yes'));
    expect(session.transcript.length).toBe(8 + 3);
    // Unconstrained, the scripted model would have said something else.
    const free = await session.generate({ maxTokens: 3 });
    expect(free.text).not.toBe('yes');
  });

  it('keeps its grammar state across decode-time evictions (it follows tokens, not positions)', async () => {
    const backend = constrainedScriptedBackend();
    const session = await MemorySession.create({
      backend,
      capacity: 16,
      policy: streamingLLM({ sinks: 2 }),
      decodeHeadroom: 3,
    });
    await session.ingest(letters('prompt'));
    const target = letters('thequickbrownfoxjumpsoverthelazydog');
    const result = await session.generate({ constraint: sequenceConstraint(target), maxTokens: 100 });
    expect(result.text).toBe('thequickbrownfoxjumpsoverthelazydog');
    expect(result.finishReason).toBe('constraint-complete');
    expect(session.statistics.evicted).toBeGreaterThan(20);
    expect(session.statistics.resident).toBeLessThanOrEqual(16);
  });

  it('still honours maxTokens: an unfinished constrained text ends with "max-tokens"', async () => {
    const backend = constrainedScriptedBackend();
    const session = await MemorySession.create({ backend, capacity: 64 });
    await session.ingest(letters('go'));
    const result = await session.generate({
      constraint: sequenceConstraint(letters('abcdef')),
      maxTokens: 4,
    });
    expect(result.text).toBe('abcd');
    expect(result.finishReason).toBe('max-tokens');
  });

  it('refuses a backend pick the constraint does not allow with BackendError', async () => {
    const backend = constrainedScriptedBackend({ ignoreConstraint: true });
    const session = await MemorySession.create({ backend, capacity: 64 });
    await session.ingest(letters('go'));
    await expect(session.generate({ constraint: sequenceConstraint(letters('zzz')) })).rejects.toSatisfy(
      (error) => BackendError.isInstance(error) && /does not allow/.test((error as Error).message),
    );
  });

  it('a backend without compileJsonSchema throws CapabilityUnsupportedError naming it', async () => {
    const backend = new ScriptedBackend({ vocabulary: letterVocabulary(26) });
    const session = await MemorySession.create({ backend, capacity: 64 });
    await session.ingest(letters('go'));
    const error = await session.generate({ constraint: sequenceConstraint([1]) }).catch((caught) => caught);
    expect(CapabilityUnsupportedError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/Backend "scripted" does not support constrained sampling/);
    expect(error.message).toMatch(/@sirllm\/llamacpp/);
    expect(session.transcript.length).toBe(2);
  });
});

describe('sampleConstrainedToken', () => {
  const row = Float32Array.from([0, 3, 1, 2.5, -1]);
  const onlyOdd: ConstraintState = { complete: false, allows: (token) => token % 2 === 1, accept() {} };

  it('greedy picks the most probable allowed token', () => {
    const options = normaliseSamplingOptions({ temperature: 0 });
    expect(sampleConstrainedToken(row, options, createRandom(1), onlyOdd)).toBe(1);
    const onlyEven: ConstraintState = { ...onlyOdd, allows: (token) => token % 2 === 0 };
    expect(sampleConstrainedToken(row, options, createRandom(1), onlyEven)).toBe(2);
  });

  it('sampling draws from the distribution renormalised over the allowed tokens', () => {
    const options = normaliseSamplingOptions({ temperature: 1 });
    const random = createRandom(5);
    const counts = new Map<number, number>();
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const token = sampleConstrainedToken(row, options, random, onlyOdd);
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    expect([...counts.keys()].every((token) => token % 2 === 1)).toBe(true);
    const weight = (logit: number) => Math.exp(logit);
    const total = weight(3) + weight(2.5);
    expect((counts.get(1) ?? 0) / draws).toBeCloseTo(weight(3) / total, 1.5);
    expect((counts.get(3) ?? 0) / draws).toBeCloseTo(weight(2.5) / total, 1.5);
  });

  it('throws BackendError when nothing is allowed', () => {
    const none: ConstraintState = { complete: true, allows: () => false, accept() {} };
    expect(() =>
      sampleConstrainedToken(row, normaliseSamplingOptions({}), createRandom(1), none),
    ).toThrowError(/allows no token/);
  });
});

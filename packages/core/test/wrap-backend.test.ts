import { letterVocabulary, ScriptedBackend } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import {
  type AppendResult,
  type ChatTemplate,
  InvalidOptionError,
  type KVBackend,
  type KVSequence,
  MemorySession,
  type SamplingConstraint,
  type SequenceMiddleware,
  streamingLLM,
  wrapBackend,
} from '../src/index.js';

const template: ChatTemplate = {
  name: 'plain',
  render: (messages) => messages.map((m) => m.content).join(''),
};
const constraint: SamplingConstraint = {
  description: 'anything',
  start: () => ({ complete: false, allows: () => true, accept() {} }),
};

/** A fake backend with every optional member, recording each call as `member(arguments)`. */
function fullBackend(calls: string[] = []): KVBackend & { sequences: KVSequence[] } {
  const sequences: KVSequence[] = [];
  const sequence = (capacity: number): KVSequence => {
    let length = 0;
    const made: KVSequence = {
      capacity,
      get length() {
        return length;
      },
      async append(tokens): Promise<AppendResult> {
        calls.push(`append(${tokens.join(',')})`);
        length += tokens.length;
        return { surprisal: Float32Array.from(tokens, () => 1) };
      },
      async retain(keep) {
        calls.push(`retain(${keep.join(',')})`);
        length = keep.length;
      },
      async snapshot() {
        calls.push('snapshot()');
        return Uint8Array.of(length);
      },
      async dispose() {
        calls.push('sequence.dispose()');
      },
    };
    sequences.push(made);
    return made;
  };
  return {
    specificationVersion: 'v1',
    info: {
      name: 'full',
      fingerprint: 'full:1',
      vocabularySize: 8,
      trainedContextLength: 64,
      specialTokens: { endOfGeneration: [7] },
      positionShift: 'exact',
    },
    chatTemplate: template,
    sequences,
    tokenize: (text, options) => {
      calls.push(`tokenize(${text},${options?.special ?? ''})`);
      return Array.from(text, (character) => character.charCodeAt(0) % 8);
    },
    detokenize: (tokens) => {
      calls.push(`detokenize(${tokens.join(',')})`);
      return tokens.join('');
    },
    createSequence: async ({ capacity }) => {
      calls.push(`createSequence(${capacity})`);
      return sequence(capacity);
    },
    restoreSequence: async (snapshot, { capacity }) => {
      calls.push(`restoreSequence(${snapshot.join(',')},${capacity})`);
      return sequence(capacity);
    },
    compileJsonSchema: async (schema) => {
      calls.push(`compileJsonSchema(${JSON.stringify(schema)})`);
      return constraint;
    },
    dispose: async () => {
      calls.push('dispose()');
    },
  };
}

/** A fake backend with none of the optional members (and sequences without `snapshot`). */
function bareBackend(): KVBackend {
  const {
    chatTemplate: _template,
    restoreSequence: _restore,
    compileJsonSchema: _compile,
    ...rest
  } = fullBackend();
  return {
    ...rest,
    createSequence: async (options) => {
      const { snapshot: _snapshot, ...withoutSnapshot } = await rest.createSequence(options);
      return withoutSnapshot;
    },
  };
}

type AppendCall = Parameters<NonNullable<SequenceMiddleware['append']>>[0];

const countAppends = {
  sequence: { append: ({ tokens, options, next }: AppendCall) => next(tokens, options) },
};

describe('wrapBackend: forwarding', () => {
  it('forwards every member, the optional ones included, to the wrapped backend', async () => {
    const calls: string[] = [];
    const backend = fullBackend(calls);
    const wrapped = wrapBackend(backend, {});
    expect(wrapped.specificationVersion).toBe('v1');
    expect(wrapped.info).toBe(backend.info);
    expect(wrapped.chatTemplate).toBe(template);
    expect(wrapped.tokenize('ab', { special: true })).toEqual(backend.tokenize('ab', { special: true }));
    expect(wrapped.detokenize([1, 2])).toBe('12');
    expect(await wrapped.compileJsonSchema?.({ type: 'boolean' })).toBe(constraint);
    const created = await wrapped.createSequence({ capacity: 4 });
    const restored = await wrapped.restoreSequence?.(Uint8Array.of(9), { capacity: 5 });
    // Without sequence hooks the backend's own sequences are handed out.
    expect(created).toBe(backend.sequences[0]);
    expect(restored).toBe(backend.sequences[1]);
    await wrapped.dispose();
    expect(calls).toEqual([
      'tokenize(ab,true)',
      'tokenize(ab,true)',
      'detokenize(1,2)',
      'compileJsonSchema({"type":"boolean"})',
      'createSequence(4)',
      'restoreSequence(9,5)',
      'dispose()',
    ]);
  });

  it('forwards every sequence member of created and restored sequences through sequence hooks', async () => {
    const calls: string[] = [];
    const wrapped = wrapBackend(fullBackend(calls), countAppends);
    for (const sequence of [
      await wrapped.createSequence({ capacity: 4 }),
      (await wrapped.restoreSequence?.(Uint8Array.of(1), { capacity: 4 })) as KVSequence,
    ]) {
      calls.length = 0;
      expect(sequence.capacity).toBe(4);
      expect((await sequence.append([1, 2, 3])).surprisal).toEqual(Float32Array.of(1, 1, 1));
      expect(sequence.length).toBe(3);
      await sequence.retain(Uint32Array.of(0, 2));
      expect(sequence.length).toBe(2);
      expect(await sequence.snapshot?.()).toEqual(Uint8Array.of(2));
      await sequence.dispose();
      expect(calls).toEqual(['append(1,2,3)', 'retain(0,2)', 'snapshot()', 'sequence.dispose()']);
    }
  });

  it('adds no capability the backend lacks', async () => {
    const wrapped = wrapBackend(bareBackend(), {
      ...countAppends,
      restoreSequence: ({ snapshot, options, next }) => next(snapshot, options),
    });
    expect('chatTemplate' in wrapped).toBe(false);
    expect('restoreSequence' in wrapped).toBe(false);
    expect('compileJsonSchema' in wrapped).toBe(false);
    const sequence = await wrapped.createSequence({ capacity: 4 });
    expect('snapshot' in sequence).toBe(false);
    const snapshotHook = wrapBackend(bareBackend(), { sequence: { snapshot: ({ next }) => next() } });
    expect('snapshot' in (await snapshotHook.createSequence({ capacity: 4 }))).toBe(false);
  });

  it('keeps the capabilities of a real backend (the scripted one with a template and constraints)', async () => {
    const backend = new ScriptedBackend({
      vocabulary: letterVocabulary(26),
      chatTemplate: template,
      compileJsonSchema: async () => constraint,
    });
    const wrapped = wrapBackend(backend, countAppends);
    expect(wrapped.chatTemplate).toBe(template);
    expect(await wrapped.compileJsonSchema?.({})).toBe(constraint);
    expect('restoreSequence' in wrapped).toBe(false);
  });
});

describe('wrapBackend: middleware', () => {
  it('runs the hooks around each call; a hook may change arguments and results', async () => {
    const calls: string[] = [];
    const seen: string[] = [];
    const wrapped = wrapBackend(fullBackend(calls), {
      tokenize: ({ text, options, next }) => [...next(text.toUpperCase(), options), 0],
      detokenize: ({ tokens, next }) => `<${next(tokens)}>`,
      createSequence: ({ options, next }) => next({ capacity: options.capacity * 2 }),
      restoreSequence: ({ snapshot, options, next }) => next(Uint8Array.of(snapshot.length), options),
      compileJsonSchema: ({ schema, next }) => next({ wrapped: schema }),
      dispose: async ({ next }) => {
        seen.push('dispose');
        await next();
      },
      sequence: {
        append: async ({ tokens, options, origin, sequence, next }) => {
          seen.push(`${origin} append at ${sequence.length}`);
          return next([...tokens, 0], options);
        },
        retain: ({ keep, origin, next }) => {
          seen.push(`${origin} retain`);
          return next(keep.subarray(0, 1));
        },
        snapshot: async ({ origin, next }) => {
          seen.push(`${origin} snapshot`);
          return Uint8Array.of(...(await next()), 255);
        },
        dispose: ({ origin, next }) => {
          seen.push(`${origin} dispose`);
          return next();
        },
      },
    });
    expect(wrapped.tokenize('a')).toEqual([65 % 8, 0]);
    expect(wrapped.detokenize([3])).toBe('<3>');
    await wrapped.compileJsonSchema?.({ type: 'null' });
    const created = await wrapped.createSequence({ capacity: 4 });
    expect(created.capacity).toBe(8);
    await created.append([1]);
    expect(created.length).toBe(2);
    await created.retain(Uint32Array.of(0, 1));
    expect(created.length).toBe(1);
    expect(await created.snapshot?.()).toEqual(Uint8Array.of(1, 255));
    await created.dispose();
    const restored = (await wrapped.restoreSequence?.(Uint8Array.of(5, 6, 7), { capacity: 4 })) as KVSequence;
    await restored.append([2]);
    await wrapped.dispose();
    expect(calls).toContain('compileJsonSchema({"wrapped":{"type":"null"}})');
    expect(calls).toContain('restoreSequence(3,4)');
    expect(seen).toEqual([
      'create append at 0',
      'create retain',
      'create snapshot',
      'create dispose',
      'restore append at 0',
      'dispose',
    ]);
  });

  it('overrides info and the chat template, and omits capabilities on request', async () => {
    const backend = fullBackend();
    const other: ChatTemplate = { name: 'other', render: () => '' };
    const renamed = wrapBackend(backend, {
      overrideInfo: (info) => ({ ...info, name: 'renamed' }),
      overrideChatTemplate: (own) => (own === template ? other : undefined),
    });
    expect(renamed.info.name).toBe('renamed');
    expect(renamed.info).toBe(renamed.info);
    expect(renamed.chatTemplate).toBe(other);
    expect('chatTemplate' in wrapBackend(backend, { overrideChatTemplate: () => undefined })).toBe(false);
    expect(wrapBackend(bareBackend(), { overrideChatTemplate: () => template }).chatTemplate).toBe(template);
    const omitted = wrapBackend(backend, {
      omit: ['chatTemplate', 'restoreSequence', 'compileJsonSchema', 'snapshot'],
    });
    expect(['chatTemplate', 'restoreSequence', 'compileJsonSchema'].filter((key) => key in omitted)).toEqual(
      [],
    );
    const sequence = await omitted.createSequence({ capacity: 4 });
    expect('snapshot' in sequence).toBe(false);
    expect(sequence).not.toBe(backend.sequences[0]);
    await sequence.append([1]);
    expect(sequence.length).toBe(1);
  });

  it('applies a list of middleware with the first outermost', async () => {
    const order: string[] = [];
    const layer = (name: string) => ({
      sequence: {
        append: async ({ tokens, options, next }: AppendCall) => {
          order.push(`${name} in`);
          const result = await next(tokens, options);
          order.push(`${name} out`);
          return result;
        },
      },
    });
    const wrapped = wrapBackend(fullBackend(), [layer('first'), layer('second')]);
    await (await wrapped.createSequence({ capacity: 4 })).append([1]);
    expect(order).toEqual(['first in', 'second in', 'second out', 'first out']);
  });

  it('leaves a MemorySession run exactly as on the backend itself', async () => {
    const run = async (wrap: (backend: KVBackend) => KVBackend) => {
      const session = await MemorySession.create({
        backend: wrap(new ScriptedBackend()),
        capacity: 24,
        policy: streamingLLM({ sinks: 2 }),
      });
      for (let turn = 0; turn < 5; turn++)
        await session.respond([turn, turn + 1, turn + 2, 9, 8], { maxTokens: 4 });
      return { transcript: session.transcript.tokens(), scores: Array.from(session.ledger.scores) };
    };
    let appends = 0;
    const wrapped = await run((backend) =>
      wrapBackend(backend, {
        sequence: {
          append: ({ tokens, options, next }) => {
            appends++;
            return next(tokens, options);
          },
        },
      }),
    );
    expect(wrapped).toEqual(await run((backend) => backend));
    expect(appends).toBeGreaterThan(10);
  });

  it('names a misspelt or malformed middleware member', () => {
    const backend = fullBackend();
    expect(() => wrapBackend(backend, { sequnce: {} } as never)).toThrow(/did you mean sequence/);
    expect(() => wrapBackend(backend, { sequence: { appnd: () => {} } } as never)).toThrow(
      /did you mean append/,
    );
    expect(() => wrapBackend(backend, { tokenize: 3 } as never)).toThrow(InvalidOptionError);
    expect(() => wrapBackend(backend, { omit: ['snapshots'] } as never)).toThrow(/middleware.omit/);
    expect(() => wrapBackend(null as never, {})).toThrow(/backend/);
  });
});

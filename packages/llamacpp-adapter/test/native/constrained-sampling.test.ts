import {
  CapabilityUnsupportedError,
  InvalidOptionError,
  type JsonSchema,
  type KVBackend,
  MemorySession,
  sirllm,
  streamingLLM,
} from '@sirllm/core';
import { createReferenceBackend, createTinyLlama, jsonSchemaViolations } from '@sirllm/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaCppBackend, type LlamaCppBackend } from '../../src/index.js';
import { openTestBackend, testLlama, testThreads, writeTinyModel } from './gguf-fixtures.js';

// Random weights: nothing but the grammar makes the output JSON. Strings are bounded (maxLength) so a
// random model, which rarely picks the closing quote, still finishes within maxTokens.

/**
 * Violations of `schema`, except string lengths of strings holding U+FFFD: llama.cpp's grammar counts
 * characters as it decodes bytes, leniently; random weights emit invalid UTF-8 (e.g. lead byte 0xFB)
 * that JavaScript decodes to one U+FFFD per byte (see tighten-json-grammar.ts). Every other rule,
 * and the length of every valid string, is checked.
 */
function violations(value: unknown, schema: JsonSchema): string[] {
  return jsonSchemaViolations(value, schema).filter((violation) => {
    const match = /^(\$[^:]*): longer than/.exec(violation);
    return !(match && valueAt(value, match[1] as string).includes('\uFFFD'));
  });
}

function valueAt(root: unknown, path: string): string {
  let current: unknown = root;
  for (const [, name, index] of path.slice(1).matchAll(/\.([^.[]+)|\[(\d+)\]/g)) {
    current = (current as Record<string, unknown>)[name ?? (index as string)];
  }
  return String(current);
}
const toolCall: JsonSchema = {
  type: 'object',
  properties: {
    name: { enum: ['get_weather', 'get_time'] },
    arguments: {
      type: 'object',
      properties: {
        city: { type: 'string', maxLength: 8 },
        days: { type: 'integer' },
        unit: { enum: ['celsius', 'fahrenheit'] },
        hourly: { type: 'boolean' },
      },
      required: ['city', 'days', 'unit', 'hourly'],
      additionalProperties: false,
    },
  },
  required: ['name', 'arguments'],
  additionalProperties: false,
};

let backend: LlamaCppBackend;
beforeAll(async () => {
  const { path } = writeTinyModel({ seed: 41, layers: 2 });
  backend = await openTestBackend(path, 512);
});
afterAll(() => backend.dispose());

async function promptedSession(capacity = 256, policy = sirllm()) {
  const session = await MemorySession.create({ backend, capacity, policy });
  await session.ingest(
    backend.tokenize('<s><|user|>What is the weather in Oslo?<|end|><|assistant|>', { special: true }),
  );
  return session;
}

describe('constrained sampling on the llama.cpp backend', () => {
  it('every generated tool call parses and matches the schema, over seeds and temperatures', async () => {
    const constraint = await backend.compileJsonSchema(toolCall);
    const names = new Set<string>();
    for (const temperature of [0, 0.7, 1.5]) {
      for (const seed of [1, 2, 3, 4]) {
        const session = await promptedSession();
        const result = await session.generate({
          constraint,
          maxTokens: 300,
          sampling: { temperature, seed, ...(temperature > 1 ? { topK: 50 } : {}) },
        });
        expect(result.finishReason, `temperature ${temperature} seed ${seed}: ${result.text}`).toBe(
          'constraint-complete',
        );
        const value = JSON.parse(result.text);
        expect(violations(value, toolCall), result.text).toEqual([]);
        // The value ends the text: no newlines after the closing bracket (node-llama-cpp's grammar adds
        // four, which would be generated and then kept by SirLLM as highly surprising tokens).
        expect(result.text.endsWith('}'), JSON.stringify(result.text)).toBe(true);
        expect(session.transcript.tokens(session.transcript.length - result.tokens.length)).toEqual([
          ...result.tokens,
        ]);
        names.add(value.name);
        await session.dispose();
        if (temperature === 0) break; // greedy: every seed gives the same text
      }
    }
    expect(names.size).toBeGreaterThan(0);
  });

  it('without the constraint the same random model does not write valid JSON (the test can fail)', async () => {
    const session = await promptedSession();
    const result = await session.generate({ maxTokens: 60, sampling: { temperature: 1, seed: 1 } });
    let valid = true;
    try {
      valid = jsonSchemaViolations(JSON.parse(result.text), toolCall).length === 0;
    } catch {
      valid = false;
    }
    expect(valid).toBe(false);
    await session.dispose();
  });

  it('reports raw surprisal for constrained tokens: the same as scoring the text unconstrained', async () => {
    const constraint = await backend.compileJsonSchema(toolCall);
    const session = await promptedSession();
    const prompt = session.transcript.tokens();
    const result = await session.generate({
      constraint,
      maxTokens: 300,
      sampling: { temperature: 0.8, seed: 9 },
    });
    const witness = await MemorySession.create({ backend, capacity: 256 });
    await witness.ingest(prompt);
    const scored = await witness.ingest(result.tokens as number[]);
    for (let i = 0; i < result.tokens.length; i++) {
      expect(result.surprisal[i]).toBeCloseTo(scored.surprisal[i] as number, 3);
    }
    await session.dispose();
    await witness.dispose();
  });

  it('the grammar state survives decode-time eviction: a long array through a 48-cell cache', async () => {
    const list: JsonSchema = {
      type: 'array',
      items: { type: 'string', maxLength: 3 },
      minItems: 30,
      maxItems: 30,
    };
    const constraint = await backend.compileJsonSchema(list);
    const session = await promptedSession(48, streamingLLM({ sinks: 4 }));
    const evictedBefore = session.statistics.evicted;
    const result = await session.generate({
      constraint,
      maxTokens: 600,
      sampling: { temperature: 1, seed: 5 },
    });
    expect(result.finishReason).toBe('constraint-complete');
    expect(result.tokens.length).toBeGreaterThan(90);
    expect(session.statistics.evicted - evictedBefore).toBeGreaterThan(40);
    expect(session.statistics.resident).toBeLessThanOrEqual(48);
    const value = JSON.parse(result.text);
    expect(violations(value, list), result.text).toEqual([]);
    expect(value).toHaveLength(30);
    await session.dispose();
  });

  it('translates anyOf, nullable and $defs (node-llama-cpp alone would generate null for them)', async () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        count: { anyOf: [{ type: 'integer' }, { type: 'string', maxLength: 4 }] },
        point: { $ref: '#/definitions/point' },
      },
      required: ['count', 'point'],
      additionalProperties: false,
      definitions: {
        point: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } } },
      },
    };
    const constraint = await backend.compileJsonSchema(schema);
    expect(constraint.grammar).not.toMatch(/root ::= "null"/);
    for (const seed of [1, 2, 3]) {
      const session = await promptedSession();
      const result = await session.generate({
        constraint,
        maxTokens: 300,
        sampling: { temperature: 1, seed },
      });
      const value = JSON.parse(result.text);
      expect(violations(value, schema), result.text).toEqual([]);
      expect(value.count).not.toBeNull();
      await session.dispose();
    }
  });

  it('refuses schemas a grammar cannot express, and constraints of another backend', async () => {
    await expect(backend.compileJsonSchema({ not: { type: 'string' } })).rejects.toSatisfy(
      (error) => InvalidOptionError.isInstance(error) && /schema\.not/.test((error as Error).message),
    );
    await expect(
      backend.compileJsonSchema({ allOf: [{ type: 'string' }, { maxLength: 2 }] }),
    ).rejects.toSatisfy(InvalidOptionError.isInstance);
    const { path } = writeTinyModel({ seed: 41, layers: 2 });
    const other = await createLlamaCppBackend({
      modelPath: path,
      llama: await testLlama(),
      threads: testThreads,
      contextSize: 64,
    });
    const foreign = (await other.compileJsonSchema({ type: 'boolean' })).start();
    const sequence = await backend.createSequence({ capacity: 16 });
    await sequence.append([1, 2, 3]);
    await expect(sequence.append([], { sample: {}, constraint: foreign })).rejects.toSatisfy(
      (error) =>
        InvalidOptionError.isInstance(error) && (error as InvalidOptionError).option === 'constraint',
    );
    expect(sequence.length).toBe(3);
    await sequence.dispose();
    await other.dispose();
  });

  it('the reference backend has no compileJsonSchema: generate with a constraint throws a typed error', async () => {
    const reference = createReferenceBackend({ model: createTinyLlama({ seed: 41, layers: 1 }) });
    expect((reference as KVBackend).compileJsonSchema).toBeUndefined();
    const constraint = await backend.compileJsonSchema({ type: 'boolean' });
    const session = await MemorySession.create({ backend: reference, capacity: 32 });
    await session.ingest([1, 2, 3]);
    await expect(session.generate({ constraint })).rejects.toSatisfy(CapabilityUnsupportedError.isInstance);
  });
});

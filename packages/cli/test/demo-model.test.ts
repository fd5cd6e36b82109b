import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { full, type KVBackend, MemorySession, sirllm, streamingLLM } from '@sirllm/core';
import { encodeQuestion, groceryEpisodes, runDemoEpisode, runEpisode, taskDefaults } from '@sirllm/eval';
import { readTaskEpisodes } from '@sirllm/eval/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBackend } from '../src/backends/load-backend.js';
import { runCommandLine } from '../src/command-line.js';
import { bundledDemoModel, demoModelGguf, locateDemoData } from '../src/demo/demo-assets.js';
import { recordingIo } from './recording-io.js';
import { syntheticKeys } from './synthetic-grocery.js';

const folder = bundledDemoModel();
let llamaCpp: KVBackend;
let transformers: KVBackend;

beforeAll(async () => {
  if (folder === undefined) throw new Error('models/sirllm-grocery-demo is missing');
  llamaCpp = await loadBackend('test', 'llamacpp', join(folder, demoModelGguf), {
    threads: 1,
    keyValueCacheType: 'f32',
  });
  transformers = await loadBackend('test', 'transformers', folder, { threads: 1 });
});
afterAll(async () => {
  await llamaCpp?.dispose();
  await transformers?.dispose();
});

const texts = [
  '<s><|user|>I want you to buy the GROCERY: [peanut butter].<|end|><|assistant|>OK<|end|>',
  '<s><|user|>Which one is the GROCERY that I want you to buy earlier? Choices:  (A) tea (B) chocolate (C) olive oil (D) eggs<|end|><|assistant|>chocolate<|end|>',
  "Where would you find magazines along side many other printed works? Choices:  (A) doctor (B) bookstore — it's 3.5 km away!",
];

describe('the bundled demo model', () => {
  it('tokenizes the same way in the GGUF (llama.cpp) and in tokenizer.json (transformers.js)', () => {
    for (const text of texts) {
      expect(llamaCpp.tokenize(text, { special: true })).toEqual(
        transformers.tokenize(text, { special: true }),
      );
    }
    for (const word of ['cheese', ' cheese', 'chocolate', ' chocolate', 'peanut', ' butter']) {
      expect(llamaCpp.tokenize(word)).toHaveLength(1);
    }
    // The item is one and the same token in the request and in the answer.
    const request = llamaCpp.tokenize('I want you to buy the GROCERY: [chocolate].');
    const [answer] = llamaCpp.tokenize('chocolate');
    expect(request).toContain(answer);
  });

  it('renders a scored question to the same tokens on both backends, the answer closed with <|end|>', () => {
    const question = 'Which one is the GROCERY that I want you to buy earlier? Choices:  (A) tea (B) eggs ';
    const options = ['(A) tea', '(B) eggs'];
    const [fromGguf, fromOnnx] = [llamaCpp, transformers].map((backend) =>
      encodeQuestion(backend, 'chat-template', question, options),
    );
    expect(fromGguf).toEqual(fromOnnx);
    const end = llamaCpp.tokenize('<|end|>', { special: true });
    for (const continuation of fromGguf?.continuations ?? []) expect(continuation.slice(-1)).toEqual(end);
  });

  it('gives the same surprisal on both backends (the same float16-rounded weights, float32 arithmetic)', async () => {
    const tokens = llamaCpp.tokenize(texts[0] + (texts[1] as string), { special: true });
    const values: number[][] = [];
    for (const backend of [llamaCpp, transformers]) {
      const session = await MemorySession.create({ backend, capacity: 256, policy: full() });
      values.push([...(await session.ingest(tokens)).surprisal]);
      await session.dispose();
    }
    const [fromGguf = [], fromOnnx = []] = values;
    expect(fromGguf).toHaveLength(tokens.length);
    const largest = Math.max(
      ...fromGguf.slice(1).map((value, index) => Math.abs(value - (fromOnnx[index + 1] ?? 0))),
    );
    // The float16 GGUF with llama.cpp's float16 cache was 2.5e-3 off; the same weights in float32 agree
    // to summation order.
    expect(largest).toBeLessThan(1e-3);
    // A trained model: the closing tokens of the chat format are predictable, the item is not.
    const itemIndex = tokens.indexOf(llamaCpp.tokenize('peanut')[0] as number);
    expect(fromGguf[itemIndex]).toBeGreaterThan(4);
    expect(fromGguf[tokens.length - 1]).toBeLessThan(1);
  });

  it('recalls the grocery with the whole episode in memory; at a small cache SirLLM keeps it and StreamingLLM loses it', async () => {
    const episodes = groceryEpisodes(syntheticKeys(0, 6, 10));
    const recalled = { full: 0, sirllm: 0, streaming: 0 };
    let itemKept = 0;
    for (const episode of episodes) {
      const options = {
        backend: llamaCpp,
        format: 'chat-template' as const,
        scoring: 'cloze' as const,
        rule: taskDefaults.grocery.rule,
      };
      const whole = await runEpisode(episode, { ...options, policy: full(), capacity: 1024 });
      const recall = whole.outcomes.at(-1);
      recalled.full += recall?.chosen === recall?.gold ? 1 : 0;
      const kept = await runDemoEpisode(episode, {
        backend: llamaCpp,
        policy: sirllm({ decay: 1 }),
        capacity: 160,
      });
      const lost = await runDemoEpisode(episode, {
        backend: llamaCpp,
        policy: streamingLLM(),
        capacity: 160,
      });
      expect(kept.view.evicted).toBeGreaterThan(100);
      // The item's first token is the surprising one (the rest of a two-word item follows from it).
      itemKept += kept.view.tokens[kept.itemPositions[0] ?? -1]?.resident ? 1 : 0;
      expect(lost.itemPositions.some((position) => lost.view.tokens[position]?.resident)).toBe(false);
      recalled.sirllm += kept.recalled ? 1 : 0;
      recalled.streaming += lost.recalled ? 1 : 0;
    }
    expect(itemKept).toBeGreaterThanOrEqual(5);
    expect(recalled.full).toBeGreaterThanOrEqual(5);
    expect(recalled.sirllm).toBeGreaterThanOrEqual(5);
    expect(recalled.sirllm).toBeGreaterThan(recalled.streaming);
  });
});

describe('sirllm demo', () => {
  it('plays held-out episodes for both policies and reports what the evaluation harness reports', async () => {
    const data = mkdtempSync(join(tmpdir(), 'sirllm-demo-data-'));
    mkdirSync(join(data, 'grocery'));
    const keys = syntheticKeys(350, 2, 8);
    writeFileSync(join(data, 'grocery', 'keys.jsonl'), keys);
    const io = recordingIo();
    const code = await runCommandLine(
      ['demo', '--data', data, '--episodes', '2', '--capacity', '160'],
      io.io,
    );
    expect(code).toBe(0);
    const output = io.out.join('\n');
    // The same episodes through the harness's own episode runner.
    const episodes = groceryEpisodes(keys).slice(350);
    const expected: string[] = [];
    for (const [label, policy] of [
      ['SirLLM', sirllm({ decay: 1, sinks: 4 })],
      ['StreamingLLM', streamingLLM({ sinks: 4 })],
    ] as const) {
      let recalled = 0;
      for (const episode of episodes) {
        const result = await runEpisode(episode, {
          backend: llamaCpp,
          policy,
          capacity: 160,
          format: 'chat-template',
          scoring: 'cloze',
          rule: taskDefaults.grocery.rule,
        });
        const recall = result.outcomes.at(-1);
        recalled += recall?.chosen === recall?.gold ? 1 : 0;
      }
      expected.push(`| ${label} | ${((100 * recalled) / 2).toFixed(1)} % (${recalled}/2) |`);
    }
    for (const row of expected) expect(output).toContain(row);
    expect(output).toContain('What each policy kept of episode-35');
    expect(io.progress.join('')).toContain('2/2 episodes');
  });

  it('ships its data: episodes 350–399 beside the bundled model, read by default', () => {
    const previous = process.env.SIRLLM_DATA;
    delete process.env.SIRLLM_DATA;
    try {
      const data = locateDemoData(undefined);
      expect(data).toBe(join(folder as string, 'data'));
      const episodes = readTaskEpisodes('grocery', data as string);
      expect(episodes.map((episode) => episode.id)).toEqual(
        Array.from({ length: 50 }, (_, index) => `episode-${350 + index}`),
      );
      for (const episode of episodes) {
        expect(episode.questions.map((question) => question.kind)).toEqual([
          'grocery-key',
          ...Array.from({ length: 20 }, () => 'commonsense'),
          'grocery-recall',
        ]);
      }
    } finally {
      if (previous !== undefined) process.env.SIRLLM_DATA = previous;
    }
    expect(locateDemoData('/somewhere/else', {})).toBe('/somewhere/else');
    expect(locateDemoData(undefined, { SIRLLM_DATA: '/from/environment' })).toBe('/from/environment');
  });

  it('names the missing episode when a data folder lacks one of 350–399', async () => {
    const data = mkdtempSync(join(tmpdir(), 'sirllm-demo-data-'));
    mkdirSync(join(data, 'grocery'));
    writeFileSync(join(data, 'grocery', 'keys.jsonl'), syntheticKeys(350, 1, 8));
    const io = recordingIo();
    expect(await runCommandLine(['demo', '--data', data, '--episodes', '2'], io.io)).toBe(2);
    expect(io.error.join('\n')).toMatch(/no Grocery episode 351/u);
  });

  it('says where to get the data when it is missing, and refuses bad options', async () => {
    const missing = recordingIo();
    expect(await runCommandLine(['demo', '--data', join(tmpdir(), 'no-such-sirllm-data')], missing.io)).toBe(
      2,
    );
    expect(missing.error.join('\n')).toMatch(/grocery/u);
    const bad = recordingIo();
    expect(await runCommandLine(['demo', '--episodes', '51'], bad.io)).toBe(2);
    expect(bad.error.join('\n')).toMatch(/--episodes/u);
  });
});

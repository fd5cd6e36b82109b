import { createTinyLlama, createTokenizer, testkitChatTemplate } from '@sirllm/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransformersBackend, type TransformersBackend } from '../src/index.js';
import { stayOffline, writeTestModel } from './write-test-model.js';

await stayOffline();

describe('tokenizer, chat template and model info from the model folder', () => {
  const model = createTinyLlama();
  const folder = writeTestModel(model);
  const reference = createTokenizer();
  let backend: TransformersBackend;
  beforeAll(async () => {
    backend = await createTransformersBackend({ model: folder.path, threads: 1 });
  });
  afterAll(async () => {
    await backend.dispose();
    folder.remove();
  });

  const texts = [
    'Hello there, how are you today?',
    "It's 42 degrees — ünïcödé and emoji 🙂 too.\n\nNew   lines\tand tabs",
    'I remember that my sister lives in Lisbon.',
  ];

  it('tokenizes exactly like the testkit tokenizer and round-trips', () => {
    for (const text of texts) {
      expect(backend.tokenize(text)).toEqual(reference.encode(text));
      expect(backend.detokenize(backend.tokenize(text))).toBe(text);
    }
  });

  it('parses special tokens only when asked', () => {
    const text = '<|user|>Hi<|end|><s>';
    expect(backend.tokenize(text, { special: true })).toEqual(reference.encode(text, { special: true }));
    expect(backend.tokenize(text)).toEqual(reference.encode(text));
    expect(backend.detokenize(backend.tokenize(text, { special: true }))).toBe(text);
  });

  it("renders the tokenizer's chat template like the testkit chat format", () => {
    const template = backend.chatTemplate;
    if (!template) throw new Error('the model folder has a chat template');
    const conversations = [
      [{ role: 'user', content: 'Hi' }],
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'tool', content: '{"ok":true}' },
        { role: 'user', content: 'Remember: blue.' },
      ],
    ] as const;
    for (const messages of conversations) {
      for (const addGenerationPrompt of [true, false]) {
        expect(template.render(messages, { addGenerationPrompt })).toBe(
          testkitChatTemplate.render(messages, { addGenerationPrompt }),
        );
      }
    }
  });

  it('reports the model facts from config.json', () => {
    const { info } = backend;
    expect(info.vocabularySize).toBe(model.config.vocabularySize);
    expect(info.trainedContextLength).toBe(model.config.maximumPositionEmbeddings);
    expect(info.specialTokens.beginOfSequence).toBe(reference.specialTokenId('<s>'));
    expect(info.specialTokens.endOfGeneration).toEqual([
      reference.specialTokenId('</s>'),
      reference.specialTokenId('<|end|>'),
    ]);
    expect(info.rope).toEqual({ theta: 10000, headDimension: model.config.headDimension });
    expect(info.positionShift).toBe('exact');
    expect(info.fingerprint).toMatch(/^transformers:[0-9a-f]{8}$/);
    expect(backend.hasPositionIds).toBe(true);
  });
});

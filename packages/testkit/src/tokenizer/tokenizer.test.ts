import { InvalidOptionError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { createTokenizer } from './create-tokenizer.js';
import { preTokenize } from './pre-tokenize.js';
import { specialTokenTexts } from './special-tokens.js';
import { trainingCorpus } from './training-corpus.js';

const tokenizer = createTokenizer();

describe('testkit tokenizer', () => {
  it('has 256 bytes, 100–200 learned merges and the special tokens, at most 512 in all', () => {
    expect(tokenizer.merges.length).toBeGreaterThanOrEqual(100);
    expect(tokenizer.merges.length).toBeLessThanOrEqual(200);
    expect(tokenizer.vocabularySize).toBe(256 + tokenizer.merges.length + specialTokenTexts.length);
    expect(tokenizer.vocabularySize).toBeLessThanOrEqual(512);
    expect(tokenizer.specialTokens.map(({ text }) => text)).toEqual([...specialTokenTexts]);
  });

  it('is deterministic', () => {
    const again = createTokenizer({ corpus: trainingCorpus });
    expect(again).not.toBe(tokenizer);
    expect(again.merges).toEqual(tokenizer.merges);
    expect(createTokenizer()).toBe(tokenizer);
    expect(createTokenizer({ mergeCount: 10 }).merges).toEqual(tokenizer.merges.slice(0, 10));
  });

  it.each([
    ['ASCII', 'Hello! How are you today? I am fine, thank you.'],
    ['whitespace', '  two  spaces,\ttabs\nand\r\nnewlines   '],
    ['accents and CJK', 'Café naïve — 日本語のテキスト, Ελληνικά'],
    ['emoji', 'Party 🎉 family 👩‍👩‍👧 flag 🇫🇷 ok'],
    ['contractions and digits', "I'm sure it's 12345 o'clock, we'll see"],
    ['a byte order mark', '\uFEFFstarts with a BOM'],
    ['empty', ''],
  ])('round-trips %s', (_, text) => {
    const ids = tokenizer.encode(text);
    expect(tokenizer.decode(ids)).toBe(text);
    for (const id of ids) expect(tokenizer.isSpecial(id)).toBe(false);
  });

  it('compresses the kind of text it learned from', () => {
    const text = 'Thank you for the answer, I would like to talk about the weather today.';
    expect(tokenizer.encode(text).length).toBeLessThan(new TextEncoder().encode(text).length / 2);
  });

  it('parses special tokens only when asked', () => {
    const text = '<s><|user|>Hi there<|end|><|assistant|>Hello!</s>';
    const parsed = tokenizer.encode(text, { special: true });
    expect(parsed[0]).toBe(tokenizer.specialTokenId('<s>'));
    expect(parsed[1]).toBe(tokenizer.specialTokenId('<|user|>'));
    expect(parsed.at(-1)).toBe(tokenizer.specialTokenId('</s>'));
    expect(parsed.filter((id) => tokenizer.isSpecial(id))).toHaveLength(5);
    expect(tokenizer.decode(parsed)).toBe(text);
    const plain = tokenizer.encode(text);
    expect(plain.some((id) => tokenizer.isSpecial(id))).toBe(false);
    expect(tokenizer.decode(plain)).toBe(text);
  });

  it('decodes incomplete UTF-8 with replacement characters', () => {
    const bytes = new TextEncoder().encode('🎉');
    expect(tokenizer.decode([bytes[0] as number, bytes[1] as number])).toBe('\uFFFD');
    expect(tokenizer.decode([...bytes].map(Number))).toBe('🎉');
    expect(tokenizer.decode([0xff, 0x41])).toBe('\uFFFDA');
  });

  it('refuses unknown token ids', () => {
    expect(() => tokenizer.decode([tokenizer.vocabularySize])).toThrow(InvalidOptionError);
    expect(() => tokenizer.decode([-1])).toThrow(InvalidOptionError);
    expect(() => tokenizer.decode([1.5])).toThrow(InvalidOptionError);
  });

  it('exposes its vocabulary for tokenizer-file writers', () => {
    const vocabulary = tokenizer.vocabulary();
    expect(vocabulary).toHaveLength(tokenizer.vocabularySize);
    expect(vocabulary[32]).toMatchObject({ id: 32, text: 'Ġ', kind: 'byte' });
    expect(vocabulary[65]).toMatchObject({ text: 'A', kind: 'byte' });
    const [left, right] = tokenizer.merges[0] ?? [0, 0];
    const merged = vocabulary[256];
    expect(merged?.kind).toBe('merge');
    expect(merged?.text).toBe(`${vocabulary[left]?.text}${vocabulary[right]?.text}`);
    expect(vocabulary.at(-1)).toMatchObject({ text: '<|end|>', kind: 'special' });
    expect(new Set(vocabulary.map(({ text }) => text)).size).toBe(vocabulary.length);
  });

  it('takes a list of special tokens; the default stays the testkit list', () => {
    const chatml = createTokenizer({ specialTokens: ['<|im_start|>', '<|im_end|>'] });
    expect(chatml.merges).toEqual(tokenizer.merges);
    expect(chatml.vocabularySize).toBe(256 + tokenizer.merges.length + 2);
    const start = 256 + tokenizer.merges.length;
    expect(chatml.specialTokens).toEqual([
      { text: '<|im_start|>', id: start },
      { text: '<|im_end|>', id: start + 1 },
    ]);
    expect(chatml.encode('<|im_start|>user\nHi<|im_end|>', { special: true })).toEqual([
      start,
      ...tokenizer.encode('user\nHi'),
      start + 1,
    ]);
    expect(chatml.hasSpecialToken('<s>')).toBe(false);
    expect(() => chatml.specialTokenId('<s>')).toThrow(/<\|im_start\|> <\|im_end\|>/);
    expect(createTokenizer({ specialTokens: [...specialTokenTexts] })).not.toBe(tokenizer);
    expect(createTokenizer({ specialTokens: [...specialTokenTexts] }).vocabulary()).toEqual(
      tokenizer.vocabulary(),
    );
    const none = createTokenizer({ specialTokens: [] });
    expect(none.encode('<s>Hi', { special: true })).toEqual(tokenizer.encode('<s>Hi'));
  });

  it('refuses empty or repeated special tokens with a typed error', () => {
    expect(() => createTokenizer({ specialTokens: ['<a>', '<a>'] })).toThrow(InvalidOptionError);
    expect(() => createTokenizer({ specialTokens: [''] })).toThrow(InvalidOptionError);
    expect(() => createTokenizer({ specialTokens: '<a>' as unknown as string[] })).toThrow(
      InvalidOptionError,
    );
  });

  it('pre-tokenizes losslessly, GPT-2 style', () => {
    const text = "Hello,  world! It's 2024 🎉\n\nok ";
    expect(preTokenize(text).join('')).toBe(text);
    expect(preTokenize('Hello world')).toEqual(['Hello', ' world']);
  });
});

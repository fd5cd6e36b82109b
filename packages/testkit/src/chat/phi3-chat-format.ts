import type { ChatMessage, ChatTemplate } from '@sirllm/core';
import type { FamilyChatFormat } from './chat-format.js';

/** Phi-3 has no tool role: a tool result is a user turn. */
const turnToken: Record<ChatMessage['role'], string> = {
  system: '<|system|>',
  user: '<|user|>',
  assistant: '<|assistant|>',
  tool: '<|user|>',
};

/**
 * Phi-3 / 3.5-mini: `<|system|>\n…<|end|>\n` (left out when empty), `<|user|>\n…<|end|>\n`,
 * `<|assistant|>\n…<|end|>\n`; a reply opens with `<|assistant|>\n`. No BOS. The real template ends a
 * conversation rendered without the generation prompt with `<|endoftext|>`; this one does not (it would
 * not be prefix-stable, and llama.cpp's `phi3` format does not either).
 */
const phi3ChatTemplate: ChatTemplate = {
  name: 'phi-3',
  render(messages, { addGenerationPrompt }) {
    let text = '';
    for (const message of messages) {
      if (message.role === 'system' && message.content === '') continue;
      text += `${turnToken[message.role]}\n${message.content}<|end|>\n`;
    }
    return addGenerationPrompt ? `${text}<|assistant|>\n` : text;
  },
};

const phi3ChatTemplateJinja =
  '{%- for message in messages -%}' +
  "{%- if message['role'] == 'system' -%}{%- if message['content'] -%}{{- '<|system|>\\n' + message['content'] + '<|end|>\\n' -}}{%- endif -%}" +
  "{%- elif message['role'] == 'assistant' -%}{{- '<|assistant|>\\n' + message['content'] + '<|end|>\\n' -}}" +
  "{%- else -%}{{- '<|user|>\\n' + message['content'] + '<|end|>\\n' -}}{%- endif -%}" +
  "{%- endfor -%}{%- if add_generation_prompt -%}{{- '<|assistant|>\\n' -}}{%- endif -%}";

/** The Phi-3 / 3.5-mini chat format (special tokens in real id order: 32000, 32001, 32006, 32007, 32010). */
export const phi3ChatFormat: FamilyChatFormat = {
  name: phi3ChatTemplate.name,
  specialTokens: ['<|endoftext|>', '<|assistant|>', '<|system|>', '<|end|>', '<|user|>'],
  eosToken: '<|endoftext|>',
  endOfTurnToken: '<|end|>',
  addBos: false,
  template: phi3ChatTemplate,
  jinja: phi3ChatTemplateJinja,
};

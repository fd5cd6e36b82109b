import type { ChatTemplate } from '@sirllm/core';
import type { FamilyChatFormat } from './chat-format.js';
import { chatmlTurn, chatmlTurnJinja } from './chatml.js';

/**
 * SmolLM2: plain ChatML, `<|im_start|>role\n…<|im_end|>\n` for every message under its own role (a tool
 * result under `tool`: SmolLM2 has no tool convention; llama.cpp's `chatml` format does the same), and
 * `<|im_start|>assistant\n` opens a reply. No BOS, no default system prompt.
 */
const smollm2ChatTemplate: ChatTemplate = {
  name: 'chatml',
  render(messages, { addGenerationPrompt }) {
    let text = '';
    for (const message of messages) text += chatmlTurn(message.role, message.content);
    return addGenerationPrompt ? `${text}<|im_start|>assistant\n` : text;
  },
};

const smollm2ChatTemplateJinja =
  `{%- for message in messages -%}${chatmlTurnJinja}{%- endfor -%}` +
  "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}";

/** The SmolLM2 chat format (special tokens as in the real vocabulary, ids 0–2). */
export const smollm2ChatFormat: FamilyChatFormat = {
  name: smollm2ChatTemplate.name,
  specialTokens: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'],
  eosToken: '<|endoftext|>',
  endOfTurnToken: '<|im_end|>',
  addBos: false,
  template: smollm2ChatTemplate,
  jinja: smollm2ChatTemplateJinja,
};

import type { ChatMessage, ChatTemplate } from '@sirllm/core';
import type { FamilyChatFormat } from './chat-format.js';

/** Llama 3 calls the role of a tool result `ipython`. */
const headerRole: Record<ChatMessage['role'], string> = {
  system: 'system',
  user: 'user',
  assistant: 'assistant',
  tool: 'ipython',
};

/**
 * Llama 3.x: `<|begin_of_text|>`, then `<|start_header_id|>role<|end_header_id|>\n\n` + trimmed text +
 * `<|eot_id|>` per message; tool results under the `ipython` role; a reply opens with the assistant
 * header. Without the "Cutting Knowledge Date" system block of the official 3.1/3.2 template (llama.cpp's
 * built-in `llama3` format leaves it out too).
 */
const llama3ChatTemplate: ChatTemplate = {
  name: 'llama-3',
  render(messages, { addGenerationPrompt }) {
    let text = '<|begin_of_text|>';
    for (const message of messages) {
      text += `<|start_header_id|>${headerRole[message.role]}<|end_header_id|>\n\n${message.content.trim()}<|eot_id|>`;
    }
    return addGenerationPrompt ? `${text}<|start_header_id|>assistant<|end_header_id|>\n\n` : text;
  },
};

const llama3ChatTemplateJinja =
  "{{- '<|begin_of_text|>' -}}" +
  '{%- for message in messages -%}' +
  "{%- if message['role'] == 'tool' -%}{%- set role = 'ipython' -%}{%- else -%}{%- set role = message['role'] -%}{%- endif -%}" +
  "{{- '<|start_header_id|>' + role + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' -}}" +
  '{%- endfor -%}' +
  "{%- if add_generation_prompt -%}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}{%- endif -%}";

/** The Llama 3.x chat format (special tokens as in the real vocabulary, ids 128000–128010). */
export const llama3ChatFormat: FamilyChatFormat = {
  name: llama3ChatTemplate.name,
  specialTokens: [
    '<|begin_of_text|>',
    '<|end_of_text|>',
    '<|start_header_id|>',
    '<|end_header_id|>',
    '<|eom_id|>',
    '<|eot_id|>',
    '<|python_tag|>',
  ],
  bosToken: '<|begin_of_text|>',
  eosToken: '<|end_of_text|>',
  endOfTurnToken: '<|eot_id|>',
  addBos: true,
  template: llama3ChatTemplate,
  jinja: llama3ChatTemplateJinja,
};

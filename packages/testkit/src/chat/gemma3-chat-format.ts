import type { ChatTemplate } from '@sirllm/core';
import type { FamilyChatFormat } from './chat-format.js';

/**
 * Gemma 3: `<bos>`, then `<start_of_turn>user\n…<end_of_turn>\n` and `<start_of_turn>model\n…<end_of_turn>\n`
 * with trimmed text; a reply opens with `<start_of_turn>model\n`. Gemma has no system role: system text
 * (trimmed) is held and written at the start of the next user turn, followed by a blank line (llama.cpp's
 * `gemma` format). No tool role either: a tool result is a user turn.
 */
const gemma3ChatTemplate: ChatTemplate = {
  name: 'gemma',
  render(messages, { addGenerationPrompt }) {
    let text = '<bos>';
    let pendingSystem = '';
    for (const message of messages) {
      if (message.role === 'system') {
        pendingSystem += message.content.trim();
        continue;
      }
      const role = message.role === 'assistant' ? 'model' : 'user';
      text += `<start_of_turn>${role}\n`;
      if (pendingSystem !== '' && role === 'user') {
        text += `${pendingSystem}\n\n`;
        pendingSystem = '';
      }
      text += `${message.content.trim()}<end_of_turn>\n`;
    }
    return addGenerationPrompt ? `${text}<start_of_turn>model\n` : text;
  },
};

const gemma3ChatTemplateJinja =
  "{{- '<bos>' -}}{%- set state = namespace(system='') -%}" +
  '{%- for message in messages -%}' +
  "{%- if message['role'] == 'system' -%}{%- set state.system = state.system + message['content'] | trim -%}" +
  '{%- else -%}' +
  "{%- if message['role'] == 'assistant' -%}{%- set role = 'model' -%}{%- else -%}{%- set role = 'user' -%}{%- endif -%}" +
  "{{- '<start_of_turn>' + role + '\\n' -}}" +
  "{%- if state.system != '' and role == 'user' -%}{{- state.system + '\\n\\n' -}}{%- set state.system = '' -%}{%- endif -%}" +
  "{{- message['content'] | trim + '<end_of_turn>\\n' -}}" +
  '{%- endif -%}{%- endfor -%}' +
  "{%- if add_generation_prompt -%}{{- '<start_of_turn>model\\n' -}}{%- endif -%}";

/** The Gemma 3 chat format (special tokens in real id order: 0–3, 105, 106). */
export const gemma3ChatFormat: FamilyChatFormat = {
  name: gemma3ChatTemplate.name,
  specialTokens: ['<pad>', '<eos>', '<bos>', '<unk>', '<start_of_turn>', '<end_of_turn>'],
  bosToken: '<bos>',
  eosToken: '<eos>',
  endOfTurnToken: '<end_of_turn>',
  addBos: true,
  template: gemma3ChatTemplate,
  jinja: gemma3ChatTemplateJinja,
};

import type { ChatTemplate } from '@sirllm/core';
import type { FamilyChatFormat } from './chat-format.js';
import { chatmlTurn, chatmlTurnJinja, qwenToolResponse, qwenToolResponseJinja } from './chatml.js';

/** What Qwen 2.5 puts first when a conversation has no system message of its own. */
export const qwenDefaultSystemPrompt = 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.';

/**
 * Qwen 2 / 2.5: ChatML; the default system prompt when the first message is not a system message; tool
 * results inside a user turn as `<tool_response>` blocks (consecutive ones share the turn); a reply opens
 * with `<|im_start|>assistant\n`.
 */
const qwen2ChatTemplate: ChatTemplate = {
  name: 'chatml-qwen2',
  render(messages, { addGenerationPrompt }) {
    let text = messages[0]?.role === 'system' ? '' : chatmlTurn('system', qwenDefaultSystemPrompt);
    messages.forEach((message, index) => {
      text +=
        message.role === 'tool'
          ? qwenToolResponse(messages, index)
          : chatmlTurn(message.role, message.content);
    });
    return addGenerationPrompt ? `${text}<|im_start|>assistant\n` : text;
  },
};

const qwen2ChatTemplateJinja =
  "{%- if messages | length == 0 or messages[0]['role'] != 'system' -%}" +
  `{{- '<|im_start|>system\\n${qwenDefaultSystemPrompt}<|im_end|>\\n' -}}{%- endif -%}` +
  "{%- for message in messages -%}{%- if message['role'] == 'tool' -%}" +
  `${qwenToolResponseJinja}{%- else -%}${chatmlTurnJinja}{%- endif -%}{%- endfor -%}` +
  "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}";

/** The Qwen 2 / 2.5 chat format (special tokens in real id order: 151643–151645, 151657–151658). */
export const qwen2ChatFormat: FamilyChatFormat = {
  name: qwen2ChatTemplate.name,
  specialTokens: ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<tool_call>', '</tool_call>'],
  eosToken: '<|endoftext|>',
  endOfTurnToken: '<|im_end|>',
  addBos: false,
  template: qwen2ChatTemplate,
  jinja: qwen2ChatTemplateJinja,
};

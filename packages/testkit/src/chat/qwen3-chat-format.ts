import type { ChatMessage, ChatTemplate } from '@sirllm/core';
import type { FamilyChatFormat } from './chat-format.js';
import { chatmlTurn, chatmlTurnJinja, qwenToolResponse, qwenToolResponseJinja } from './chatml.js';

/** The empty think block Qwen 3 writes before a reply when thinking is off. */
const emptyThinkBlock = '<think>\n\n</think>\n\n';

/**
 * Qwen 3 with thinking off (`enable_thinking=false` in the real template, the default here): ChatML,
 * no default system prompt, tool results as in Qwen 2.5, and a reply opened by
 * `<|im_start|>assistant\n<think>\n\n</think>\n\n`. As in the real template, an assistant message after
 * the last user message keeps that empty think block only while it is the last message; once anything
 * follows it, it renders without one. So this template is **not prefix-stable**: the think block the
 * generation prompt fed disappears from the reply when the next message arrives (ChatSirLLM re-feeds
 * that reply). Unlike the real template, reasoning inside a message (`…</think>`) is not split out, and
 * the text after the think block is not left-stripped of newlines (@huggingface/jinja's `lstrip('\n')`
 * strips every kind of whitespace, unlike Python's, so the two engines would disagree).
 */
const qwen3ChatTemplate: ChatTemplate = {
  name: 'chatml-qwen3',
  render(messages, { addGenerationPrompt }) {
    const lastQuery = lastQueryIndex(messages);
    let text = '';
    messages.forEach((message, index) => {
      if (message.role === 'tool') {
        text += qwenToolResponse(messages, index);
      } else if (message.role === 'assistant' && index > lastQuery && index === messages.length - 1) {
        text += chatmlTurn('assistant', `${emptyThinkBlock}${message.content}`);
      } else {
        text += chatmlTurn(message.role, message.content);
      }
    });
    return addGenerationPrompt ? `${text}<|im_start|>assistant\n${emptyThinkBlock}` : text;
  },
};

/** The last user message that is not a wrapped tool response (the real template's "last query"). */
function lastQueryIndex(messages: readonly ChatMessage[]): number {
  for (let index = messages.length - 1; index >= 0; index--) {
    const { role, content } = messages[index] as ChatMessage;
    const wrapped = content.startsWith('<tool_response>') && content.endsWith('</tool_response>');
    if (role === 'user' && !wrapped) return index;
  }
  return messages.length - 1;
}

const qwen3ChatTemplateJinja =
  '{%- set state = namespace(last_query=messages | length - 1) -%}' +
  '{%- for message in messages -%}' +
  "{%- if message['role'] == 'user' and not (message['content'].startswith('<tool_response>') and message['content'].endswith('</tool_response>')) -%}" +
  '{%- set state.last_query = loop.index0 -%}{%- endif -%}{%- endfor -%}' +
  '{%- for message in messages -%}' +
  `{%- if message['role'] == 'tool' -%}${qwenToolResponseJinja}` +
  "{%- elif message['role'] == 'assistant' and loop.index0 > state.last_query and loop.last -%}" +
  "{{- '<|im_start|>assistant\\n<think>\\n\\n</think>\\n\\n' + message['content'] + '<|im_end|>\\n' -}}" +
  `{%- else -%}${chatmlTurnJinja}{%- endif -%}{%- endfor -%}` +
  "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}" +
  "{%- if not (enable_thinking is defined and enable_thinking) -%}{{- '<think>\\n\\n</think>\\n\\n' -}}{%- endif -%}" +
  '{%- endif -%}';

/** The Qwen 3 chat format (special tokens in real id order: 151643–151645, 151657–151658, 151665–151668). */
export const qwen3ChatFormat: FamilyChatFormat = {
  name: qwen3ChatTemplate.name,
  specialTokens: [
    '<|endoftext|>',
    '<|im_start|>',
    '<|im_end|>',
    '<tool_call>',
    '</tool_call>',
    '<tool_response>',
    '</tool_response>',
    '<think>',
    '</think>',
  ],
  eosToken: '<|endoftext|>',
  endOfTurnToken: '<|im_end|>',
  addBos: false,
  template: qwen3ChatTemplate,
  jinja: qwen3ChatTemplateJinja,
};

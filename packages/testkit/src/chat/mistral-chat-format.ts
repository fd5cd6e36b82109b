import type { ChatMessage, ChatTemplate } from '@sirllm/core';
import type { FamilyChatFormat } from './chat-format.js';

/**
 * Mistral v3 (llama.cpp's `mistral-v3`): `<s>`; `[INST] ` opens a turn before a system or user message
 * that starts the conversation or follows a reply or tool result; system text is followed by a blank
 * line, user text by `[/INST]`; a reply is a space, its trimmed text and `</s>`; a tool result is
 * `[TOOL_RESULTS] …[/TOOL_RESULTS]` (Mistral's own tool tokens). Nothing opens a reply: the generation
 * prompt is empty, and the model writes the reply's leading space itself.
 */
const mistralChatTemplate: ChatTemplate = {
  name: 'mistral-v3',
  render(messages) {
    let text = '<s>';
    messages.forEach((message, index) => {
      text += `${opensTurn(messages, index) ? '[INST] ' : ''}${messageText(message)}`;
    });
    return text;
  },
};

function opensTurn(messages: readonly ChatMessage[], index: number): boolean {
  const { role } = messages[index] as ChatMessage;
  const previous = messages[index - 1]?.role;
  return (
    (role === 'system' || role === 'user') &&
    (previous === undefined || previous === 'assistant' || previous === 'tool')
  );
}

function messageText({ role, content }: ChatMessage): string {
  switch (role) {
    case 'system':
      return `${content}\n\n`;
    case 'user':
      return `${content}[/INST]`;
    case 'assistant':
      return ` ${content.trim()}</s>`;
    case 'tool':
      return `[TOOL_RESULTS] ${content}[/TOOL_RESULTS]`;
  }
}

const mistralChatTemplateJinja =
  "{{- '<s>' -}}{%- for message in messages -%}" +
  "{%- if (message['role'] == 'system' or message['role'] == 'user') and (loop.first or messages[loop.index0 - 1]['role'] == 'assistant' or messages[loop.index0 - 1]['role'] == 'tool') -%}" +
  "{{- '[INST] ' -}}{%- endif -%}" +
  "{%- if message['role'] == 'system' -%}{{- message['content'] + '\\n\\n' -}}" +
  "{%- elif message['role'] == 'user' -%}{{- message['content'] + '[/INST]' -}}" +
  "{%- elif message['role'] == 'assistant' -%}{{- ' ' + message['content'] | trim + '</s>' -}}" +
  "{%- else -%}{{- '[TOOL_RESULTS] ' + message['content'] + '[/TOOL_RESULTS]' -}}{%- endif -%}" +
  '{%- endfor -%}';

/** The Mistral 7B v0.3 chat format (special tokens as in the real vocabulary, ids 0–9). */
export const mistralChatFormat: FamilyChatFormat = {
  name: mistralChatTemplate.name,
  specialTokens: [
    '<unk>',
    '<s>',
    '</s>',
    '[INST]',
    '[/INST]',
    '[TOOL_CALLS]',
    '[AVAILABLE_TOOLS]',
    '[/AVAILABLE_TOOLS]',
    '[TOOL_RESULTS]',
    '[/TOOL_RESULTS]',
  ],
  bosToken: '<s>',
  eosToken: '</s>',
  endOfTurnToken: '</s>',
  addBos: true,
  template: mistralChatTemplate,
  jinja: mistralChatTemplateJinja,
};

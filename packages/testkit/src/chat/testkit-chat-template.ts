import type { ChatMessage, ChatTemplate } from '@sirllm/core';
import { specialTokenTexts } from '../tokenizer/special-tokens.js';
import type { FamilyChatFormat } from './chat-format.js';

const opening: Record<ChatMessage['role'], string> = {
  system: '',
  user: '<|user|>',
  assistant: '<|assistant|>',
  tool: '<|user|>[tool] ',
};

/**
 * The chat format of the testkit tokenizer: `<s>`, system text on its own line, then
 * `<|user|>…<|end|>` and `<|assistant|>…<|end|>` turns; a reply opens with `<|assistant|>`.
 */
export const testkitChatTemplate: ChatTemplate = {
  name: 'testkit-chat',
  render(messages, { addGenerationPrompt }) {
    let text = '<s>';
    for (const message of messages) {
      text +=
        message.role === 'system'
          ? `${message.content}\n`
          : `${opening[message.role]}${message.content}<|end|>`;
    }
    return addGenerationPrompt ? `${text}<|assistant|>` : text;
  },
};

/**
 * The testkit chat format (see `testkitChatTemplate`) as the Jinja `chat_template` written to
 * `tokenizer_config.json`: `<s>`, system text on its own line, `<|user|>…<|end|>` and
 * `<|assistant|>…<|end|>` turns, tool results as `<|user|>[tool] …<|end|>`.
 */
export const testkitChatTemplateJinja =
  "{{ '<s>' }}{% for message in messages %}" +
  "{% if message['role'] == 'system' %}{{ message['content'] + '\n' }}" +
  "{% elif message['role'] == 'user' %}{{ '<|user|>' + message['content'] + '<|end|>' }}" +
  "{% elif message['role'] == 'assistant' %}{{ '<|assistant|>' + message['content'] + '<|end|>' }}" +
  "{% else %}{{ '<|user|>[tool] ' + message['content'] + '<|end|>' }}{% endif %}" +
  "{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

/** The `llama` family's format: the testkit chat format and tokenizer the testkit always had. */
export const testkitChatFormat: FamilyChatFormat = {
  name: testkitChatTemplate.name,
  specialTokens: specialTokenTexts,
  bosToken: '<s>',
  eosToken: '</s>',
  endOfTurnToken: '<|end|>',
  addBos: false,
  template: testkitChatTemplate,
  jinja: testkitChatTemplateJinja,
};

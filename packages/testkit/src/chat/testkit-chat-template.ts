import type { ChatMessage, ChatTemplate } from '@sirllm/core';

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

import type { BaseMessage } from '@langchain/core/messages';
import { type ChatMessage, type ChatRole, InvalidOptionError } from '@sirllm/core';

const roles: Record<string, ChatRole> = {
  system: 'system',
  developer: 'system',
  human: 'user',
  ai: 'assistant',
  tool: 'tool',
  generic: 'user',
};

/** LangChain messages to the plain role + text messages chat templates render. */
export function toChatMessages(messages: readonly BaseMessage[]): ChatMessage[] {
  return messages.map((message, index) => {
    const role = roles[message.getType()];
    if (role === undefined) {
      throw new InvalidOptionError({
        option: `messages[${index}]`,
        value: message.getType(),
        expected: 'a system, human, ai or tool message',
      });
    }
    return { role, content: message.text };
  });
}

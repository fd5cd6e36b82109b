import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { type ChatMessage, type ChatRole, InvalidOptionError } from '@sirllm/core';
import { toolCallText } from './tools/tool-call-text.js';

const roles: Record<string, ChatRole> = {
  system: 'system',
  developer: 'system',
  human: 'user',
  ai: 'assistant',
  tool: 'tool',
  generic: 'user',
};

/**
 * LangChain messages to the plain role + text messages chat templates render. An AI message with tool
 * calls reads as its text followed by one `{"name", "arguments"}` JSON object per call (see
 * `toolCallText`); a tool result (`ToolMessage`) is a `tool` message with the result's text.
 */
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
    const calls = AIMessage.isInstance(message) ? (message.tool_calls ?? []) : [];
    return { role, content: calls.length > 0 ? toolCallText(message.text, calls) : message.text };
  });
}

import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { toolCallText } from '@sirllm/chat';
import { type ChatMessage, type ChatRole, InvalidOptionError } from '@sirllm/core';

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
    const known = converted.get(message);
    if (
      known &&
      known.content === message.content &&
      known.toolCalls === (message as AIMessage).tool_calls &&
      known.metadata === message.response_metadata
    ) {
      return known.message;
    }
    const role = roles[message.getType()];
    if (role === undefined) {
      throw new InvalidOptionError({
        option: `messages[${index}]`,
        value: message.getType(),
        expected: 'a system, human, ai or tool message',
      });
    }
    const calls = AIMessage.isInstance(message) ? (message.tool_calls ?? []) : [];
    const chatMessage: ChatMessage = {
      role,
      content: calls.length > 0 ? toolCallText(message.text, calls) : message.text,
    };
    if (typeof message.content === 'string') {
      converted.set(message, {
        content: message.content,
        toolCalls: (message as AIMessage).tool_calls,
        metadata: message.response_metadata,
        message: chatMessage,
      });
    }
    return chatMessage;
  });
}

/**
 * Conversions of messages with text content, reused while the content, tool calls and metadata are the
 * same objects: callers send the whole history on every call, and LangChain's `text` getter runs every
 * content-block translator each time (~2 µs a message, O(history) per call).
 */
const converted = new WeakMap<
  BaseMessage,
  { content: unknown; toolCalls: unknown; metadata: unknown; message: ChatMessage }
>();

import type { ChatMessage, ChatTemplate } from '@sirllm/core';
import type { ChatHistoryItem, LlamaModel } from 'node-llama-cpp';
import { resolveChatWrapper } from 'node-llama-cpp';
import type { FormatChatOptions, FormattedChat } from './chat-message.js';

/**
 * Renders messages with the chat wrapper node-llama-cpp resolves for the model (its GGUF
 * `tokenizer.chat_template` or a known family's format). Tool results become user messages that
 * start with `[tool] ` (node-llama-cpp's plain chat history has no tool role).
 */
export function formatChat(
  model: LlamaModel,
  messages: readonly ChatMessage[],
  options: FormatChatOptions = {},
): FormattedChat {
  const wrapper = resolveChatWrapper(model);
  const history: ChatHistoryItem[] = messages.map((message) => {
    if (message.role === 'assistant') return { type: 'model', response: [message.content] };
    if (message.role === 'tool') return { type: 'user', text: `[tool] ${message.content}` };
    return { type: message.role, text: message.content };
  });
  if (options.addGenerationPrompt ?? true) history.push({ type: 'model', response: [] });
  const { contextText } = wrapper.generateContextState({ chatHistory: history });
  return { text: contextText.toString(), tokens: [...contextText.tokenize(model.tokenizer)] };
}

/** The model's chat format as `@sirllm/core`'s {@link ChatTemplate} (what `KVBackend.chatTemplate` exposes). */
export function chatTemplateOf(model: LlamaModel): ChatTemplate {
  return {
    name: `node-llama-cpp:${resolveChatWrapper(model).wrapperName}`,
    render: (messages, options) => formatChat(model, messages, options).text,
  };
}

import type { ChatMessage, ChatTemplate } from '@sirllm/core';
import type { ChatHistoryItem, ChatWrapper, LlamaModel, LlamaText } from 'node-llama-cpp';
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
  const contextText = renderContextText(model, messages, options);
  return { text: contextText.toString(), tokens: [...contextText.tokenize(model.tokenizer)] };
}

/** The rendered conversation as node-llama-cpp's `LlamaText`, not tokenized. */
function renderContextText(
  model: LlamaModel,
  messages: readonly ChatMessage[],
  options: FormatChatOptions,
): LlamaText {
  const history: ChatHistoryItem[] = messages.map((message) => {
    if (message.role === 'assistant') return { type: 'model', response: [message.content] };
    if (message.role === 'tool') return { type: 'user', text: `[tool] ${message.content}` };
    return { type: message.role, text: message.content };
  });
  if (options.addGenerationPrompt ?? true) history.push({ type: 'model', response: [] });
  return chatWrapperOf(model).generateContextState({ chatHistory: history }).contextText;
}

const wrappers = new WeakMap<LlamaModel, ChatWrapper>();

/**
 * The chat wrapper node-llama-cpp resolves for a model, resolved once per model: resolving parses the
 * model's Jinja template and took ~450 ms per call on a test model.
 */
function chatWrapperOf(model: LlamaModel): ChatWrapper {
  let wrapper = wrappers.get(model);
  if (!wrapper) {
    wrapper = resolveChatWrapper(model);
    wrappers.set(model, wrapper);
  }
  return wrapper;
}

/** The model's chat format as `@sirllm/core`'s {@link ChatTemplate} (what `KVBackend.chatTemplate` exposes). */
export function chatTemplateOf(model: LlamaModel): ChatTemplate {
  return {
    name: `node-llama-cpp:${chatWrapperOf(model).wrapperName}`,
    // Text only: tokenizing the whole rendering on every call cost as much as a third of the render.
    render: (messages, options) => renderContextText(model, messages, options).toString(),
  };
}

import type { ChatMessage, ChatTemplate } from '@sirllm/core';
import type { ChatHistoryItem, ChatWrapper, LlamaModel, LlamaText } from 'node-llama-cpp';
import { resolveChatWrapper, SpecialTokensText } from 'node-llama-cpp';
import type { FormatChatOptions, FormattedChat } from './chat-message.js';
import { llamaTextString } from './llama-text-string.js';

/**
 * Renders messages with the model's own chat template: its GGUF `tokenizer.chat_template` through
 * node-llama-cpp's Jinja wrapper when the file has one, else the wrapper node-llama-cpp resolves for a
 * known family (see {@link chatWrapperOf}). Tool results become user messages that
 * start with `[tool] ` (node-llama-cpp's plain chat history has no tool role).
 */
export function formatChat(
  model: LlamaModel,
  messages: readonly ChatMessage[],
  options: FormatChatOptions = {},
): FormattedChat {
  const contextText = renderContextText(model, messages, options);
  return { text: llamaTextString(model, contextText), tokens: [...contextText.tokenize(model.tokenizer)] };
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
 * The chat wrapper of a model, resolved once per model (resolving parses the model's Jinja template and
 * took ~450 ms per call on a test model). A file with a chat template gets node-llama-cpp's Jinja
 * wrapper over that template, not a built-in wrapper node-llama-cpp judges equivalent: those differ in
 * details that change the tokens (the ChatML wrapper adds a BOS and drops Qwen's default system prompt),
 * and the transformers.js backend renders the same file's template with Hugging Face's semantics — one
 * model, one rendering on both backends (decision 0018). A template node-llama-cpp cannot parse falls
 * back to its resolution.
 */
function chatWrapperOf(model: LlamaModel): ChatWrapper {
  let wrapper = wrappers.get(model);
  if (!wrapper) {
    const hasTemplate = typeof model.fileInfo.metadata.tokenizer?.chat_template === 'string';
    wrapper = resolveChatWrapper(model, hasTemplate ? { type: 'jinjaTemplate' } : {});
    wrappers.set(model, wrapper);
  }
  return wrapper;
}

/**
 * The model's chat format as `@sirllm/core`'s {@link ChatTemplate} (what `KVBackend.chatTemplate` exposes).
 * A conversation that ends with an assistant message is rendered closed, as Hugging Face's
 * `apply_chat_template` and the transformers.js backend render it: node-llama-cpp leaves the last reply
 * open for generation to continue, which would drop the template's end-of-turn text from every scored
 * answer (see {@link assistantClosing}).
 */
export function chatTemplateOf(model: LlamaModel): ChatTemplate {
  return {
    name: `node-llama-cpp:${chatWrapperOf(model).wrapperName}`,
    // Text only: tokenizing the whole rendering on every call cost as much as a third of the render.
    render: (messages, options) => {
      const text = llamaTextString(model, renderContextText(model, messages, options));
      if (options.addGenerationPrompt || messages.at(-1)?.role !== 'assistant') return text;
      return text + assistantClosing(model, messages, text);
    },
  };
}

/**
 * What the template writes after the last assistant message of `messages` once another message follows
 * (`open` is their rendering without it): the first of the wrapper's stop-generation texts that the
 * rendering with a following user message continues with — or, for a template whose rendering of that
 * reply changes when a message follows, that follows the reply's text there. Empty when none does (the
 * closing then arrives with the next message, which the `ChatTemplate` contract allows).
 */
function assistantClosing(model: LlamaModel, messages: readonly ChatMessage[], open: string): string {
  let following: string;
  try {
    following = llamaTextString(
      model,
      renderContextText(model, [...messages, { role: 'user', content: 'SirLLMNextMessage' }], {
        addGenerationPrompt: false,
      }),
    );
  } catch {
    return ''; // a template that refuses this order of roles
  }
  const candidates = closingCandidatesOf(model);
  if (following.startsWith(open)) {
    const rest = following.slice(open.length);
    return candidates.find((candidate) => rest.startsWith(candidate)) ?? '';
  }
  // A template that renders the last reply differently once a message follows (Qwen 3 drops the empty
  // think block): the closing is what follows the reply's own text in the longer rendering.
  const content = messages.at(-1)?.content ?? '';
  if (content === '') return '';
  return candidates.find((candidate) => following.includes(content + candidate)) ?? '';
}

const closingCandidates = new WeakMap<LlamaModel, readonly string[]>();

/**
 * The texts node-llama-cpp's wrapper stops a reply at (e.g. `<|end|>`, `<|im_end|>\n`, `<|eot_id|>`),
 * longest first; symbolic tokens such as EOS, which have no text of their own, are left out.
 */
function closingCandidatesOf(model: LlamaModel): readonly string[] {
  let candidates = closingCandidates.get(model);
  if (!candidates) {
    const { stopGenerationTriggers } = chatWrapperOf(model).generateContextState({
      chatHistory: [
        { type: 'user', text: 'SirLLMQuestion' },
        { type: 'model', response: [] },
      ],
    });
    candidates = stopGenerationTriggers
      .filter((trigger) =>
        trigger.values.every((value) => typeof value === 'string' || value instanceof SpecialTokensText),
      )
      .map((trigger) => trigger.toString())
      .filter((text) => text.length > 0)
      .sort((a, b) => b.length - a.length);
    closingCandidates.set(model, candidates);
  }
  return candidates;
}

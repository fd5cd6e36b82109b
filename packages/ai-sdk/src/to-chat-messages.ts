import type { LanguageModelV4ToolResultOutput } from '@ai-sdk/provider';
import { type LanguageModelV4Prompt, UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { toolCallText } from '@sirllm/chat';
import type { ChatMessage } from '@sirllm/core';

/**
 * The AI SDK's prompt as the plain role + text messages chat templates render. An assistant message
 * reads as its text followed by one `{"name", "arguments"}` JSON object per tool call (the form the
 * provider records its own tool-call replies in, so the next step's prompt matches message by message);
 * a tool result is a `tool` message with the result's text. Reasoning parts are left out (the model sees
 * its answers, not its drafts). Files are refused: the backends run text-only models.
 */
export function toChatMessages(prompt: LanguageModelV4Prompt): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: message.content });
        break;
      case 'user': {
        const texts = message.content.map((part) => {
          if (part.type === 'text') return part.text;
          throw new UnsupportedFunctionalityError({
            functionality: `file parts (${part.mediaType}) in user messages: SirLLM backends run text-only models`,
          });
        });
        messages.push({ role: 'user', content: texts.join('') });
        break;
      }
      case 'assistant': {
        const texts: string[] = [];
        const calls: { name: string; args: Record<string, unknown> }[] = [];
        for (const part of message.content) {
          if (part.type === 'text') texts.push(part.text);
          else if (part.type === 'tool-call') {
            calls.push({ name: part.toolName, args: (part.input ?? {}) as Record<string, unknown> });
          } else if (part.type === 'file' || part.type === 'reasoning-file') {
            throw new UnsupportedFunctionalityError({
              functionality: 'file parts in assistant messages: SirLLM backends run text-only models',
            });
          }
          // reasoning, custom and provider-executed tool results carry nothing the model should re-read.
        }
        messages.push({ role: 'assistant', content: toolCallText(texts.join(''), calls) });
        break;
      }
      case 'tool':
        for (const part of message.content) {
          if (part.type !== 'tool-result') continue; // approval responses are the SDK's business
          messages.push({ role: 'tool', content: toolResultText(part.output) });
        }
        break;
    }
  }
  return messages;
}

/** A tool result's output as the text the model reads. */
export function toolResultText(output: LanguageModelV4ToolResultOutput): string {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value;
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value);
    case 'execution-denied':
      return output.reason ? `Tool execution denied: ${output.reason}` : 'Tool execution denied.';
    case 'content':
      return output.value
        .map((item) => {
          if (item.type === 'text') return item.text;
          throw new UnsupportedFunctionalityError({
            functionality: `${item.type} items in tool results: SirLLM backends run text-only models`,
          });
        })
        .join('');
  }
}

import type { ChatMessage } from '@sirllm/core';

/** One ChatML turn: `<|im_start|>role\n` + text + `<|im_end|>\n`. */
export function chatmlTurn(role: string, content: string): string {
  return `<|im_start|>${role}\n${content}<|im_end|>\n`;
}

/**
 * A tool result the Qwen way: inside a user turn, as `\n<tool_response>\n…\n</tool_response>`; a run of
 * consecutive tool results shares one user turn, opened before the first and closed after the last.
 */
export function qwenToolResponse(messages: readonly ChatMessage[], index: number): string {
  const opens = messages[index - 1]?.role !== 'tool';
  const closes = messages[index + 1]?.role !== 'tool';
  const content = (messages[index] as ChatMessage).content;
  return `${opens ? '<|im_start|>user' : ''}\n<tool_response>\n${content}\n</tool_response>${closes ? '<|im_end|>\n' : ''}`;
}

/** The Jinja of {@link qwenToolResponse}, inside a loop over `messages`. */
export const qwenToolResponseJinja =
  "{%- if loop.first or messages[loop.index0 - 1]['role'] != 'tool' -%}{{- '<|im_start|>user' -}}{%- endif -%}" +
  "{{- '\\n<tool_response>\\n' + message['content'] + '\\n</tool_response>' -}}" +
  "{%- if loop.last or messages[loop.index0 + 1]['role'] != 'tool' -%}{{- '<|im_end|>\\n' -}}{%- endif -%}";

/** The Jinja of a ChatML turn of the loop's `message` under its own role. */
export const chatmlTurnJinja =
  "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' -}}";

import type { ToolChoice } from '@langchain/core/language_models/chat_models';
import type { ResolvedToolChoice, ToolDefinition } from '@sirllm/chat';
import { InvalidOptionError } from '@sirllm/core';

/**
 * LangChain's `tool_choice` as the chat layer's choice: `auto` (the default), `any`/`required`/`true`
 * (a call of any tool), `none`/`false` (text), or one tool's name (or `{ type: 'function', function:
 * { name } }`). Anything else throws `InvalidOptionError` listing the bound tools.
 */
export function resolveToolChoice(
  choice: ToolChoice | boolean | undefined,
  tools: readonly ToolDefinition[],
): ResolvedToolChoice {
  if (choice === undefined || choice === 'auto') return { kind: 'auto' };
  if (choice === 'none' || choice === false) return { kind: 'none' };
  if (choice === 'any' || choice === 'required' || choice === true) return { kind: 'required' };
  const name =
    typeof choice === 'string'
      ? choice
      : ((choice as { function?: { name?: unknown }; name?: unknown }).function?.name ??
        (choice as { name?: unknown }).name);
  if (typeof name === 'string' && tools.some((tool) => tool.name === name)) return { kind: 'tool', name };
  throw new InvalidOptionError({
    option: 'tool_choice',
    value: typeof name === 'string' ? name : choice,
    expected: `"auto", "any", "required", "none" or a bound tool's name (${tools.map((tool) => tool.name).join(', ')})`,
  });
}

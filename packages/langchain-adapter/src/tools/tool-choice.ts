import type { ToolChoice } from '@langchain/core/language_models/chat_models';
import { InvalidOptionError } from '@sirllm/core';
import type { ToolDefinition } from './tool-definition.js';

/**
 * What the model may answer with bound tools:
 * - `auto` (the default): a call of any tool, or a direct text answer;
 * - `required` (`any`, `required`, `true`): a call of any tool;
 * - `none`: text only, no constraint;
 * - one tool's name (or `{ type: 'function', function: { name } }`): a call of that tool.
 */
export type ResolvedToolChoice =
  | { readonly kind: 'auto' | 'required' | 'none' }
  | { readonly kind: 'tool'; readonly name: string };

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

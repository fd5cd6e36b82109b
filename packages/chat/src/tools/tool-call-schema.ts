import type { JsonSchema } from '@sirllm/core';
import type { ResolvedToolChoice } from './tool-choice.js';
import type { ToolDefinition } from './tool-definition.js';

/**
 * The JSON schema a reply with bound tools must match: one object per callable tool,
 * `{ "name": <that tool's name>, "arguments": <its parameters> }`, and with `auto` also
 * `{ "response": <answer> }` for a direct answer (a string, or a value of `answer` when the call also
 * asks for structured output); several alternatives are joined with `anyOf`. Undefined for `none`
 * (the reply is plain text).
 */
export function toolCallSchema(
  tools: readonly ToolDefinition[],
  choice: ResolvedToolChoice,
  answer?: JsonSchema,
): JsonSchema | undefined {
  if (choice.kind === 'none') return undefined;
  const callable = choice.kind === 'tool' ? tools.filter((tool) => tool.name === choice.name) : tools;
  const alternatives: JsonSchema[] = callable.map((tool) => ({
    type: 'object',
    properties: { name: { const: tool.name }, arguments: tool.parameters },
    required: ['name', 'arguments'],
    additionalProperties: false,
  }));
  if (choice.kind === 'auto') alternatives.push(answer ? directAnswerOf(answer) : directAnswerSchema);
  return alternatives.length === 1 ? (alternatives[0] as JsonSchema) : { anyOf: alternatives };
}

/** The alternative of `auto`: answer in text instead of calling a tool. */
export const directAnswerSchema: JsonSchema = {
  type: 'object',
  properties: { response: { type: 'string' } },
  required: ['response'],
  additionalProperties: false,
};

/** The alternative of `auto` when the answer itself must be a value of `answer`. */
function directAnswerOf(answer: JsonSchema): JsonSchema {
  return {
    type: 'object',
    properties: { response: answer },
    required: ['response'],
    additionalProperties: false,
  };
}

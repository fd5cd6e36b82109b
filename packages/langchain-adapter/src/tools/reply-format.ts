import type { BindToolsInput, ToolChoice } from '@langchain/core/language_models/chat_models';
import type { JsonSchema } from '@sirllm/core';
import { toolCallSchema } from './tool-call-schema.js';
import { resolveToolChoice } from './tool-choice.js';
import { toToolDefinitions } from './tool-definition.js';
import { structuredOutputInstructions, toolInstructions } from './tool-instructions.js';

/** Set by `withStructuredOutput`: the reply must be one JSON value matching `schema`. */
export interface ResponseFormat {
  readonly schema: JsonSchema;
  readonly name?: string;
}

/** How one call's reply is constrained, and what the model is told about it. */
export interface ReplyFormat {
  /** Added to the system message so the model knows the tools or the schema. */
  readonly instructions: string;
  /**
   * The grammar the reply follows: `tools`, a tool call or (with `auto`) `{ "response": … }`;
   * `structured`, a value of the schema. Absent with `tool_choice: 'none'` (free text).
   */
  readonly constraint?: { readonly kind: 'tools' | 'structured'; readonly schema: JsonSchema };
}

/**
 * The reply format of a call's options, or undefined for a plain call. With tools, the instructions
 * list every bound tool whatever `tool_choice` is, so that a conversation that switches choices
 * (e.g. force a call, then `none` for the answer) keeps the same system message and its cache.
 */
export function replyFormatOf(options: {
  readonly tools?: readonly BindToolsInput[];
  readonly tool_choice?: ToolChoice;
  readonly responseFormat?: ResponseFormat;
}): ReplyFormat | undefined {
  if (options.responseFormat) {
    const { schema, name } = options.responseFormat;
    return {
      instructions: structuredOutputInstructions(schema, name),
      constraint: { kind: 'structured', schema },
    };
  }
  if (!options.tools || options.tools.length === 0) return undefined;
  const tools = toToolDefinitions(options.tools);
  const schema = toolCallSchema(tools, resolveToolChoice(options.tool_choice, tools));
  return {
    instructions: toolInstructions(tools),
    ...(schema ? { constraint: { kind: 'tools', schema } } : {}),
  };
}

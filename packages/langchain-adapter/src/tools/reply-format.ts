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
  /** `tools`: a tool call or (with `auto`) `{ "response": … }`; `structured`: a value of the schema. */
  readonly kind: 'tools' | 'structured';
  readonly schema: JsonSchema;
  /** Added to the system message so the model knows the tools or the schema. */
  readonly instructions: string;
}

/** The reply format of a call's options, or undefined for a free text reply. */
export function replyFormatOf(options: {
  readonly tools?: readonly BindToolsInput[];
  readonly tool_choice?: ToolChoice;
  readonly responseFormat?: ResponseFormat;
}): ReplyFormat | undefined {
  if (options.responseFormat) {
    const { schema, name } = options.responseFormat;
    return { kind: 'structured', schema, instructions: structuredOutputInstructions(schema, name) };
  }
  if (!options.tools || options.tools.length === 0) return undefined;
  const tools = toToolDefinitions(options.tools);
  const choice = resolveToolChoice(options.tool_choice, tools);
  const schema = toolCallSchema(tools, choice);
  if (!schema) return undefined;
  return { kind: 'tools', schema, instructions: toolInstructions(tools, choice) };
}

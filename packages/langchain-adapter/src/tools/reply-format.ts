import type { BindToolsInput, ToolChoice } from '@langchain/core/language_models/chat_models';
import { type ReplyFormat, structuredReplyFormat, toolReplyFormat } from '@sirllm/chat';
import type { JsonSchema } from '@sirllm/core';
import { resolveToolChoice } from './tool-choice.js';
import { toToolDefinitions } from './tool-definition.js';

/** Set by `withStructuredOutput`: the reply must be one JSON value matching `schema`. */
export interface ResponseFormat {
  readonly schema: JsonSchema;
  readonly name?: string;
}

/** The reply format of a call's options (bound tools, `tool_choice`, `responseFormat`), or undefined for a plain call. */
export function replyFormatOf(options: {
  readonly tools?: readonly BindToolsInput[];
  readonly tool_choice?: ToolChoice;
  readonly responseFormat?: ResponseFormat;
}): ReplyFormat | undefined {
  if (options.responseFormat) {
    return structuredReplyFormat(options.responseFormat.schema, options.responseFormat.name);
  }
  if (!options.tools || options.tools.length === 0) return undefined;
  const tools = toToolDefinitions(options.tools);
  return toolReplyFormat(tools, resolveToolChoice(options.tool_choice, tools));
}

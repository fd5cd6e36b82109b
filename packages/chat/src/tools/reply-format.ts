import type { JsonSchema } from '@sirllm/core';
import { toolCallSchema } from './tool-call-schema.js';
import type { ResolvedToolChoice } from './tool-choice.js';
import type { ToolDefinition } from './tool-definition.js';
import { structuredOutputInstructions, toolInstructions } from './tool-instructions.js';

/**
 * The grammar a reply follows: `tools`, a tool call or (with `auto`) `{ "response": … }`;
 * `structured`, one value of the schema.
 */
export interface ReplyConstraint {
  /** `tools` for a tool call (or direct answer), `structured` for one value of the schema. */
  readonly kind: 'tools' | 'structured';
  /** The JSON schema the reply's text is constrained to. */
  readonly schema: JsonSchema;
}

/** How one call's reply is constrained, and what the model is told about it. */
export interface ReplyFormat {
  /** Added to the system message so the model knows the tools or the schema. */
  readonly instructions: string;
  /** Absent with tool choice `none` (free text). */
  readonly constraint?: ReplyConstraint;
}

/**
 * The reply format of a call with tools. The instructions list every tool whatever the choice is, so
 * that a conversation that switches choices (force a call, then `none` for the answer) keeps the same
 * system message and its cache. With `answer` (a call that has tools and asks for structured output),
 * a direct answer is `{ "response": <a value of answer> }` instead of text.
 */
export function toolReplyFormat(
  tools: readonly ToolDefinition[],
  choice: ResolvedToolChoice,
  answer?: JsonSchema,
): ReplyFormat {
  const schema = toolCallSchema(tools, choice, answer);
  return {
    instructions: toolInstructions(tools, answer),
    ...(schema ? { constraint: { kind: 'tools', schema } } : {}),
  };
}

/** The reply format of a call whose reply must be one JSON value of `schema`. */
export function structuredReplyFormat(schema: JsonSchema, name?: string): ReplyFormat {
  return {
    instructions: structuredOutputInstructions(schema, name),
    constraint: { kind: 'structured', schema },
  };
}

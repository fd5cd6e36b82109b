import type { GenerateResult } from '@sirllm/core';
import { holdsCompleteJsonValue } from './complete-json-value.js';
import { parseToolReply } from './parse-tool-reply.js';
import type { ReplyConstraint } from './reply-format.js';
import { type ToolCallRecord, toolCallText } from './tool-call-text.js';

/** A tool call the model made, with the id the caller's framework reports it under. */
export interface ToolCall extends ToolCallRecord {
  /** `call_` and 32 hex digits, generated. */
  readonly id: string;
}

/** A grammar-constrained reply, read back: what the caller returns and what the session records. */
export interface ConstrainedReply {
  /** The message content: a direct answer's text, the structured JSON text, or '' for a tool call. */
  readonly content: string;
  /** The tool calls of the reply (at most one: the grammar allows one call per reply); empty for text. */
  readonly toolCalls: readonly ToolCall[];
  /** The reply as the session records it, equal to how the next call's history will render it. */
  readonly recorded: string;
}

/**
 * Reads a constrained generation back. The grammar ends with newlines after the JSON value; they are
 * trimmed. Tool-call ids are generated (`call_<uuid>`). A generation that stopped before its JSON was
 * complete throws `InvalidOptionError` naming `maxTokens`.
 */
export function constrainedReply(
  constraint: ReplyConstraint,
  result: GenerateResult,
  maxTokens: number,
): ConstrainedReply {
  const text = result.text.trim();
  const complete = holdsCompleteJsonValue(result);
  if (constraint.kind === 'structured') {
    if (!complete) parseToolReply(text, { complete, maxTokens }); // throws the explanation
    return { content: text, toolCalls: [], recorded: text };
  }
  const reply = parseToolReply(text, { complete, maxTokens });
  if (reply.kind === 'answer') return { content: reply.text, toolCalls: [], recorded: reply.text };
  const id = `call_${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
  return { content: '', toolCalls: [{ id, ...reply.call }], recorded: toolCallText('', [reply.call]) };
}

import type { ToolCallChunk } from '@langchain/core/messages/tool';
import type { GenerateResult } from '@sirllm/core';
import { holdsCompleteJsonValue } from './complete-json-value.js';
import { parseToolReply } from './parse-tool-reply.js';
import type { ReplyFormat } from './reply-format.js';
import { toolCallText } from './tool-call-text.js';

type Constraint = NonNullable<ReplyFormat['constraint']>;

/** A grammar-constrained reply, as ChatSirLLM returns and records it. */
export interface ConstrainedReply {
  /** The message content: a direct answer's text, the structured JSON text, or '' for a tool call. */
  readonly content: string;
  /** The tool call as one chunk (LangChain turns chunks into `tool_calls`); absent for text. */
  readonly toolCallChunks?: ToolCallChunk[];
  /** The reply as the session records it, equal to how the next call's history will render it. */
  readonly recorded: string;
}

/**
 * Reads a constrained generation back. The grammar ends with newlines after the JSON value; they are
 * trimmed. Tool-call ids are generated (`call_<uuid>`). A generation that stopped before its JSON was
 * complete throws `InvalidOptionError` naming `maxTokens`.
 */
export function constrainedReply(
  format: Constraint,
  result: GenerateResult,
  maxTokens: number,
): ConstrainedReply {
  const text = result.text.trim();
  const complete = holdsCompleteJsonValue(result);
  if (format.kind === 'structured') {
    if (!complete) parseToolReply(text, { complete, maxTokens }); // throws the explanation
    return { content: text, recorded: text };
  }
  const reply = parseToolReply(text, { complete, maxTokens });
  if (reply.kind === 'answer') return { content: reply.text, recorded: reply.text };
  const id = `call_${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
  return {
    content: '',
    toolCallChunks: [
      { type: 'tool_call_chunk', name: reply.call.name, args: JSON.stringify(reply.call.args), id, index: 0 },
    ],
    recorded: toolCallText('', [reply.call]),
  };
}

import { InvalidOptionError } from '@sirllm/core';
import type { ToolCallRecord } from './tool-call-text.js';

/** A grammar-constrained reply with bound tools, read back: a tool call or a direct answer. */
export type ToolReply =
  | { readonly kind: 'call'; readonly call: ToolCallRecord }
  | { readonly kind: 'answer'; readonly text: string };

/**
 * Parses the JSON text the model wrote under the tool-call schema. The grammar guarantees the shape
 * when generation completed; an incomplete text (generation stopped by `maxTokens`, a stop sequence or
 * an abort) throws `InvalidOptionError` that says what to raise.
 */
export function parseToolReply(
  text: string,
  { complete, maxTokens }: { complete: boolean; maxTokens: number },
): ToolReply {
  if (!complete) {
    throw new InvalidOptionError({
      option: 'maxTokens',
      value: maxTokens,
      expected: `enough tokens for the whole JSON reply (generation stopped before it was complete: ${JSON.stringify(text.slice(0, 80))}); raise maxTokens or remove stop sequences`,
    });
  }
  const value = JSON.parse(text) as { name?: unknown; arguments?: unknown; response?: unknown };
  if (typeof value.response === 'string') return { kind: 'answer', text: value.response };
  // A structured direct answer (tools together with structured output): its JSON text.
  if (value.response !== undefined) return { kind: 'answer', text: JSON.stringify(value.response) };
  return {
    kind: 'call',
    call: { name: String(value.name), args: (value.arguments ?? {}) as Record<string, unknown> },
  };
}

import type { FinishReason, GenerateResult } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { constrainedReply } from '../src/tools/constrained-reply.js';

const tools = { kind: 'tools' as const, schema: {} };
const structured = { kind: 'structured' as const, schema: {} };

function generated(text: string, finishReason: FinishReason): GenerateResult {
  return { text, tokens: [], surprisal: new Float32Array(0), finishReason };
}

describe('constrainedReply: a generation that stopped among the grammar’s closing newlines', () => {
  // node-llama-cpp's JSON grammars end with "\n\n\n\n" after the value; `complete` turns true only after
  // them, so maxTokens (or a full cache, or a stop sequence) can end a generation whose JSON is whole.
  const call = '{"name": "get_time", "arguments": {"zone": "UTC"}}';

  it('keeps a tool call whose JSON is complete although maxTokens ended the newlines after it', () => {
    for (const text of [`${call}\n\n`, call]) {
      const reply = constrainedReply(tools, generated(text, 'max-tokens'), 20);
      expect(reply.toolCalls[0]?.name).toBe('get_time');
      expect(reply.toolCalls[0]?.args).toEqual({ zone: 'UTC' });
      expect(reply.toolCalls[0]?.id).toMatch(/^call_[0-9a-f]{32}$/);
    }
    const stopped = constrainedReply(tools, generated('{"response": "Hi."}', 'stop-sequence'), 20);
    expect(stopped.content).toBe('Hi.');
    const full = constrainedReply(structured, generated('{"a": [1, 2]}\n', 'cache-full'), 20);
    expect(JSON.parse(full.content)).toEqual({ a: [1, 2] });
  });

  it('still refuses an incomplete value with the typed maxTokens error', () => {
    for (const text of ['{"name": "get_time", "arguments": {"zone": "UT', '{"a": 1', '12']) {
      const kind = text.startsWith('{"name"') ? tools : structured;
      expect(() => constrainedReply(kind, generated(text, 'max-tokens'), 20)).toThrowError(/raise maxTokens/);
    }
    // A bare number may still grow; the newline after it shows that it ended.
    expect(constrainedReply(structured, generated('12\n', 'max-tokens'), 20).content).toBe('12');
  });
});

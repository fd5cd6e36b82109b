/** A tool call as the chat history records it: name and arguments. */
export interface ToolCallRecord {
  readonly name: string;
  readonly args: Record<string, unknown>;
}

/**
 * How an assistant message with tool calls reads in the chat history the model sees (its text, then one
 * `{"name": …, "arguments": …}` JSON object per call, one per line) — the format the model was asked to
 * write. ChatSirLLM records its own tool-call replies in this form, so the next call's history (which
 * carries the calls as `AIMessage.tool_calls`) matches message by message and nothing is re-evaluated.
 */
export function toolCallText(text: string, calls: readonly ToolCallRecord[]): string {
  const lines = calls.map((call) => JSON.stringify({ name: call.name, arguments: call.args }));
  return [text, ...lines].filter((line) => line !== '').join('\n');
}

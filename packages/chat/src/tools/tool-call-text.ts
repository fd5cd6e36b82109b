/** A tool call as the chat history records it: name and arguments. */
export interface ToolCallRecord {
  /** The tool's name. */
  readonly name: string;
  /** The call's arguments, as a JSON object. */
  readonly args: Record<string, unknown>;
}

/**
 * How an assistant message with tool calls reads in the chat history the model sees (its text, then one
 * `{"name": …, "arguments": …}` JSON object per call, one per line) — the format the model was asked to
 * write. The chat layer records its own tool-call replies in this form, so the next call's history (which
 * carries the calls as LangChain's `AIMessage.tool_calls` or the AI SDK's tool-call parts) matches message by message and nothing is re-evaluated.
 */
export function toolCallText(text: string, calls: readonly ToolCallRecord[]): string {
  const lines = calls.map((call) => JSON.stringify({ name: call.name, arguments: call.args }));
  return [text, ...lines].filter((line) => line !== '').join('\n');
}

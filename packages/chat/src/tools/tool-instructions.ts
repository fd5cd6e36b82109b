import type { ChatMessage, JsonSchema } from '@sirllm/core';
import type { ToolDefinition } from './tool-definition.js';

/**
 * The text that tells the model about its tools and the reply format. The grammar enforces the
 * format (and `tool_choice`) anyway; the text is for the model's understanding (names, descriptions,
 * argument schemas). It does not depend on `tool_choice`, so it renders the same on every call.
 */
export function toolInstructions(tools: readonly ToolDefinition[], answer?: JsonSchema): string {
  const lines = [
    'You can call tools. To call one, reply with one JSON object and nothing else:',
    '{"name": "<tool name>", "arguments": {<arguments>}}',
    answer
      ? `To answer without a tool, reply {"response": <your answer>}, the answer matching this JSON schema: ${JSON.stringify(answer)}`
      : 'To answer without a tool, reply {"response": "<your answer>"}.',
    'Tools:',
  ];
  for (const tool of tools) {
    const description = tool.description ? ` ${tool.description}` : '';
    lines.push(`- ${tool.name}:${description} Arguments: ${JSON.stringify(tool.parameters)}`);
  }
  return lines.join('\n');
}

/** The text that asks for a structured reply matching `schema`. */
export function structuredOutputInstructions(schema: JsonSchema, name: string | undefined): string {
  const title = name ? ` (${name})` : '';
  return `Reply with one JSON object${title} matching this JSON schema, and nothing else: ${JSON.stringify(schema)}`;
}

/**
 * The history with `instructions` added to its system message (or, without one, as a new first system
 * message). The same instructions on every call keep the rendering stable, so incremental chat still
 * matches earlier turns; changing the tools changes the first message and rebuilds the session.
 */
export function withInstructions(history: readonly ChatMessage[], instructions: string): ChatMessage[] {
  const first = history[0];
  if (first?.role === 'system') {
    return [{ role: 'system', content: `${first.content}\n\n${instructions}` }, ...history.slice(1)];
  }
  return [{ role: 'system', content: instructions }, ...history];
}

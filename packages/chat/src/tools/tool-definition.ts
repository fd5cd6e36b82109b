import { InvalidOptionError, type JsonSchema } from '@sirllm/core';

/**
 * A tool as the model sees it: a name, what it does, and the JSON schema of its arguments. Each
 * framework adapter converts its own tool type to this (LangChain's `BindToolsInput`, the AI SDK's
 * function tools).
 */
export interface ToolDefinition {
  /** The name calls refer to; distinct among the tools of one call. */
  readonly name: string;
  /** What the tool does, as the model is told. */
  readonly description: string;
  /** The JSON schema of the tool's arguments. */
  readonly parameters: JsonSchema;
}

/** Throws `InvalidOptionError` naming `option` when two tools share a name (a call could not say which). */
export function requireDistinctToolNames(tools: readonly ToolDefinition[], option = 'tools'): void {
  const names = new Set<string>();
  for (const { name } of tools) {
    if (names.has(name)) {
      throw new InvalidOptionError({ option, value: name, expected: 'tools with distinct names' });
    }
    names.add(name);
  }
}

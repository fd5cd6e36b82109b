import type { BindToolsInput } from '@langchain/core/language_models/chat_models';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { requireDistinctToolNames, type ToolDefinition } from '@sirllm/chat';
import { InvalidOptionError, type JsonSchema } from '@sirllm/core';

/**
 * LangChain tools (a `tool(...)`, a `StructuredTool`, an OpenAI-style `{ type: 'function', function }`
 * object, a zod-described tool) as {@link ToolDefinition}s, through LangChain's own
 * `convertToOpenAITool` (which also turns zod argument schemas into JSON schemas).
 */
export function toToolDefinitions(tools: readonly BindToolsInput[]): ToolDefinition[] {
  const definitions = tools.map((tool, index) => {
    const converted = convertToOpenAITool(tool as Parameters<typeof convertToOpenAITool>[0]);
    const { name, description, parameters } = converted.function;
    if (typeof name !== 'string' || name === '') {
      throw new InvalidOptionError({
        option: `tools[${index}]`,
        value: tool,
        expected: 'a tool with a name',
      });
    }
    return {
      name,
      description: description ?? '',
      parameters: (parameters ?? { type: 'object', properties: {} }) as JsonSchema,
    };
  });
  requireDistinctToolNames(definitions);
  return definitions;
}

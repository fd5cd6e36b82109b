import {
  InvalidArgumentError,
  type LanguageModelV4CallOptions,
  type SharedV4Warning,
  UnsupportedFunctionalityError,
} from '@ai-sdk/provider';
import {
  type ReplyFormat,
  type ResolvedToolChoice,
  requireDistinctToolNames,
  structuredReplyFormat,
  type ToolDefinition,
  toolReplyFormat,
} from '@sirllm/chat';
import type { JsonSchema } from '@sirllm/core';

/**
 * The reply format of a call: its function tools and `toolChoice`, its `responseFormat`, or both (with
 * `auto`, a direct answer is then a value of the response schema). Undefined for a plain text call.
 * Provider-defined tools are left out with an `unsupported` warning; a constrained format on a backend
 * that cannot constrain sampling throws `UnsupportedFunctionalityError` naming the backend.
 */
export function replyFormatOf(
  options: Pick<LanguageModelV4CallOptions, 'tools' | 'toolChoice' | 'responseFormat'>,
  backend: { readonly name: string; readonly constrainsSampling: boolean },
  warnings: SharedV4Warning[],
): ReplyFormat | undefined {
  const tools: ToolDefinition[] = [];
  for (const tool of options.tools ?? []) {
    if (tool.type !== 'function') {
      warnings.push({ type: 'unsupported', feature: `provider-defined tool ${tool.name}` });
      continue;
    }
    tools.push({
      name: tool.name,
      description: tool.description ?? '',
      parameters: tool.inputSchema as JsonSchema,
    });
  }
  requireDistinctToolNames(tools);
  const response = options.responseFormat?.type === 'json' ? options.responseFormat : undefined;
  const answer = response ? ((response.schema ?? { type: 'object' }) as JsonSchema) : undefined;
  let format: ReplyFormat | undefined;
  if (tools.length > 0) {
    const choice = toolChoiceOf(options.toolChoice, tools);
    format =
      choice.kind === 'none' && answer
        ? structuredReplyFormat(answer, response?.name)
        : toolReplyFormat(tools, choice, answer);
  } else if (answer) {
    format = structuredReplyFormat(answer, response?.name);
  }
  if (format?.constraint && !backend.constrainsSampling) {
    const what = format.constraint.kind === 'tools' ? 'tool calling' : 'JSON output (responseFormat)';
    throw new UnsupportedFunctionalityError({
      functionality: what,
      message:
        `${what} needs grammar-constrained sampling, which backend "${backend.name}" does not have. ` +
        'Use the llama.cpp backend (createLlamaCppBackend from @sirllm/llamacpp), which compiles JSON schemas ' +
        'to grammars; or call without tools and responseFormat and parse the text yourself.',
    });
  }
  return format;
}

function toolChoiceOf(
  choice: LanguageModelV4CallOptions['toolChoice'],
  tools: readonly ToolDefinition[],
): ResolvedToolChoice {
  if (choice === undefined || choice.type === 'auto') return { kind: 'auto' };
  if (choice.type === 'none' || choice.type === 'required') return { kind: choice.type };
  if (tools.some((tool) => tool.name === choice.toolName)) return { kind: 'tool', name: choice.toolName };
  throw new InvalidArgumentError({
    argument: 'toolChoice',
    message: `toolChoice names tool "${choice.toolName}", which is not among the call's tools (${tools.map((tool) => tool.name).join(', ')})`,
  });
}

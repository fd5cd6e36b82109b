import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';

/**
 * What the AI SDK expects of a provider's stream, checked independently of the provider: `stream-start`
 * first; text and tool-input blocks opened before their deltas and closed once, with matching ids; every
 * `tool-call` after its input block; exactly one `finish`, last. Returns the problems found.
 */
export function lifecycleProblems(parts: readonly LanguageModelV4StreamPart[]): string[] {
  const problems: string[] = [];
  if (parts[0]?.type !== 'stream-start') problems.push(`first part is ${parts[0]?.type}, not stream-start`);
  const open = new Map<string, string>();
  const closed = new Set<string>();
  parts.forEach((part, index) => {
    const at = `part ${index} (${part.type})`;
    switch (part.type) {
      case 'text-start':
      case 'tool-input-start':
        if (open.has(part.id) || closed.has(part.id)) problems.push(`${at}: id ${part.id} opened twice`);
        open.set(part.id, part.type.replace('-start', ''));
        break;
      case 'text-delta':
      case 'tool-input-delta':
        if (open.get(part.id) !== part.type.replace('-delta', ''))
          problems.push(`${at}: block ${part.id} not open`);
        break;
      case 'text-end':
      case 'tool-input-end':
        if (open.get(part.id) !== part.type.replace('-end', ''))
          problems.push(`${at}: block ${part.id} not open`);
        open.delete(part.id);
        closed.add(part.id);
        break;
      case 'tool-call':
        if (!closed.has(part.toolCallId))
          problems.push(`${at}: no closed tool-input block ${part.toolCallId}`);
        try {
          JSON.parse(part.input);
        } catch {
          problems.push(`${at}: input is not a JSON string`);
        }
        break;
      case 'finish':
        if (index !== parts.length - 1) problems.push(`${at}: finish is not the last part`);
        break;
    }
  });
  if (open.size > 0) problems.push(`blocks never closed: ${[...open.keys()].join(', ')}`);
  if (parts.filter((part) => part.type === 'finish').length !== 1)
    problems.push('not exactly one finish part');
  return problems;
}

/** Reads a whole stream. */
export async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
  const parts: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return parts;
    parts.push(value);
  }
}

import { InvalidOptionError } from '@sirllm/core';

/**
 * A model folder's config.json text parsed (a byte-order mark, which is not JSON, skipped); an invalid file
 * is an `InvalidOptionError` on `model` saying so.
 */
export function parseModelConfig(configText: string, model: string): Record<string, unknown> {
  try {
    return JSON.parse(configText.replace(/^\uFEFF/u, '')) as Record<string, unknown>;
  } catch (cause) {
    throw new InvalidOptionError({
      option: 'model',
      value: model,
      expected: `a valid JSON config.json (${(cause as Error).message})`,
    });
  }
}

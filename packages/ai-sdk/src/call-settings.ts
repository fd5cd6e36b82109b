import type { LanguageModelV4CallOptions, SharedV4Warning } from '@ai-sdk/provider';
import type { SamplingOptions } from '@sirllm/core';

/** The generation settings of a call, and a warning for each setting SirLLM cannot honour. */
export function generationSettingsOf(
  options: LanguageModelV4CallOptions,
  defaults: { readonly maxOutputTokens: number },
  warnings: SharedV4Warning[],
): { maxTokens: number; stop: string[]; sampling: SamplingOptions } {
  for (const setting of ['presencePenalty', 'frequencyPenalty'] as const) {
    if (options[setting] !== undefined) warnings.push({ type: 'unsupported', feature: setting });
  }
  if (
    options.reasoning !== undefined &&
    options.reasoning !== 'provider-default' &&
    options.reasoning !== 'none'
  ) {
    warnings.push({
      type: 'unsupported',
      feature: 'reasoning',
      details:
        'SirLLM generates with the chat template as it is; pick a reasoning model and its template instead.',
    });
  }
  return {
    maxTokens: options.maxOutputTokens ?? defaults.maxOutputTokens,
    stop: options.stopSequences ?? [],
    sampling: {
      temperature: options.temperature ?? 0,
      ...(options.topK === undefined ? {} : { topK: options.topK }),
      ...(options.topP === undefined ? {} : { topP: options.topP }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    },
  };
}

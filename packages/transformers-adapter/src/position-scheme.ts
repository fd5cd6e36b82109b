import type { RopeScaling, RopeSettings } from '@sirllm/core';

/**
 * How a model encodes positions, read from its `config.json`:
 * - `rope`: rotary embeddings; cached keys are re-rotated on compaction (`settings` may carry a scaling
 *   scheme that cannot be moved: `dynamic` or `other`, refused when a sequence is created);
 * - `relative`: ALiBi-style models, whose cache holds no positions: compaction needs no rotation;
 * - `absolute`: learned absolute position embeddings mixed into every key: cannot be compacted.
 */
export type PositionScheme =
  | { readonly kind: 'rope'; readonly settings: RopeSettings }
  | { readonly kind: 'relative' }
  | { readonly kind: 'absolute'; readonly name: string };

const relativeModelTypes = new Set(['bloom', 'mpt']);
const absoluteModelTypes = new Set(['gpt2', 'gpt_bigcode', 'gpt_neo', 'opt', 'codegen']);

/** Reads the position scheme from a Hugging Face config object (`rope_parameters` or `rope_scaling`). */
export function positionSchemeOf(config: Record<string, unknown>): PositionScheme {
  const modelType = String(config.model_type ?? '');
  if (relativeModelTypes.has(modelType)) return { kind: 'relative' };
  if (absoluteModelTypes.has(modelType)) {
    return { kind: 'absolute', name: `learned absolute position embeddings (${modelType})` };
  }
  const text = asRecord(config.text_config);
  if (text && config.num_attention_heads === undefined)
    return positionSchemeOf({ ...text, model_type: modelType });
  const parameters = asRecord(config.rope_parameters);
  const scaling = asRecord(config.rope_scaling) ?? parameters;
  const heads = numberOf(config.num_attention_heads);
  const headDimension =
    numberOf(config.head_dim) ?? (heads ? (numberOf(config.hidden_size) ?? 0) / heads : Number.NaN);
  const theta = numberOf(config.rope_theta) ?? numberOf(parameters?.rope_theta) ?? 10000;
  const factor = numberOf(config.partial_rotary_factor) ?? numberOf(parameters?.partial_rotary_factor) ?? 1;
  const rotaryDimensions = factor === 1 ? undefined : Math.round(headDimension * factor);
  const settings: RopeSettings = {
    theta,
    headDimension,
    ...(rotaryDimensions === undefined ? {} : { rotaryDimensions }),
    ...scalingPart(scaling),
  };
  return { kind: 'rope', settings };
}

function scalingPart(scaling: Record<string, unknown> | undefined): { scaling?: RopeScaling } {
  if (!scaling) return {};
  const type = String(scaling.rope_type ?? scaling.type ?? 'default');
  const factor = numberOf(scaling.factor) ?? 1;
  const original = numberOf(scaling.original_max_position_embeddings) ?? 0;
  switch (type) {
    case 'default':
    case 'none':
      return {};
    case 'linear':
      return { scaling: { type: 'linear', factor } };
    case 'llama3':
      return {
        scaling: {
          type: 'llama3',
          factor,
          lowFrequencyFactor: numberOf(scaling.low_freq_factor) ?? 1,
          highFrequencyFactor: numberOf(scaling.high_freq_factor) ?? 4,
          originalMaxPositionEmbeddings: original,
        },
      };
    case 'yarn': {
      const betaFast = numberOf(scaling.beta_fast);
      const betaSlow = numberOf(scaling.beta_slow);
      return {
        scaling: {
          type: 'yarn',
          factor,
          originalMaxPositionEmbeddings: original,
          ...(betaFast === undefined ? {} : { betaFast }),
          ...(betaSlow === undefined ? {} : { betaSlow }),
        },
      };
    }
    case 'dynamic':
      return { scaling: { type: 'dynamic', factor } };
    default:
      return { scaling: { type: 'other', name: type } };
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

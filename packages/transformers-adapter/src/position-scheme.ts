import type { RopeScaling, RopeSettings } from '@sirllm/core';

/**
 * How a model encodes positions, read from its `config.json`:
 * - `rope`: rotary embeddings; cached keys are re-rotated on compaction (`settings` may carry a scaling
 *   scheme that cannot be moved: `dynamic` or `other`, refused when a sequence is created);
 * - `relative`: ALiBi-style models, whose cache holds no positions: compaction needs no rotation;
 * - `absolute`: learned absolute position embeddings mixed into every key: cannot be compacted.
 */
export type PositionScheme = RotaryPositionScheme | { readonly kind: 'relative' } | AbsolutePositionScheme;

/** Rotary position embeddings, with the settings of each layer. */
export interface RotaryPositionScheme {
  readonly kind: 'rope';
  /**
   * The model's RoPE: that of every layer for most models, that of the full-attention (global) layers
   * for models whose sliding-window layers have their own (Gemma 3). `ModelInfo.rope` reports it.
   */
  readonly settings: RopeSettings;
  /**
   * The RoPE each layer's keys were rotated with, one entry per `num_hidden_layers` (the same object
   * as `settings` for a layer without settings of its own). Gemma 3's sliding layers — from
   * `layer_types` ("sliding_attention"), else every layer l with (l + 1) % `sliding_window_pattern` ≠ 0
   * — use `rope_local_base_freq` without scaling (or `rope_parameters.sliding_attention`, the
   * per-layer-type form of newer configs). Compaction re-rotates each layer's keys with its own entry.
   */
  readonly layers: readonly RopeSettings[];
}

/** Learned absolute positions (`name` says which), which no rotation can move. */
export interface AbsolutePositionScheme {
  readonly kind: 'absolute';
  readonly name: string;
}

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
  const perLayerType = asRecord(config.rope_parameters);
  const parameters = asRecord(perLayerType?.full_attention) ?? perLayerType;
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
  return { kind: 'rope', settings, layers: layerSettings(config, settings, perLayerType) };
}

/**
 * The first layer settings whose scaling no fixed rotation can move (`dynamic`, or a scheme this
 * adapter does not know), or undefined when every layer's keys can be re-rotated.
 */
export function unmovableLayerRope(scheme: RotaryPositionScheme): RopeSettings | undefined {
  return [scheme.settings, ...scheme.layers].find(
    ({ scaling }) => scaling?.type === 'dynamic' || scaling?.type === 'other',
  );
}

/** The RoPE of every layer: `global` except on sliding-window layers that have a local base. */
function layerSettings(
  config: Record<string, unknown>,
  global: RopeSettings,
  perLayerType: Record<string, unknown> | undefined,
): RopeSettings[] {
  const layers = numberOf(config.num_hidden_layers) ?? 0;
  const sliding = asRecord(perLayerType?.sliding_attention);
  const localTheta = numberOf(config.rope_local_base_freq) ?? numberOf(sliding?.rope_theta);
  if (localTheta === undefined) return Array.from({ length: layers }, () => global);
  const { scaling: _globalScaling, ...unscaled } = global;
  const local: RopeSettings = { ...unscaled, theta: localTheta, ...scalingPart(sliding) };
  const layerTypes = Array.isArray(config.layer_types) ? config.layer_types : undefined;
  // Hugging Face's Gemma3TextConfig defaults the pattern to 6 (five local layers, then a global one).
  const pattern =
    numberOf(config.sliding_window_pattern) ??
    (String(config.model_type ?? '').startsWith('gemma3') ? 6 : undefined);
  const isSliding = (layer: number) =>
    layerTypes !== undefined
      ? layerTypes[layer] === 'sliding_attention'
      : pattern !== undefined && pattern > 0 && (layer + 1) % pattern !== 0;
  return Array.from({ length: layers }, (_, layer) => (isSliding(layer) ? local : global));
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

import { InvalidOptionError, type RopeScaling, requireInteger, requireNumber } from '@sirllm/core';
import { familyTokenizer } from '../chat/family-chat-formats.js';
import type { SlidingWindow } from '../families/architecture-features.js';
import { familyArchitecture, familyDefaults } from '../families/family-defaults.js';
import { isModelFamily, type ModelFamily, modelFamilies } from '../families/model-family.js';
import type { TinyLlamaConfig } from './tiny-llama-model.js';

/** Options of {@link createTinyLlama}; every field has a default. */
export interface TinyLlamaOptions {
  /**
   * The family whose structure the model has (default `llama`); its defaults (see `familyDefaults`)
   * apply under the other options.
   */
  readonly family?: ModelFamily;
  /** Seed of the weights (default 1). The same options always give the same weights. */
  readonly seed?: number;
  /** Decoder layers (default 1). */
  readonly layers?: number;
  /** Query heads (default 4). */
  readonly attentionHeads?: number;
  /** Key/value heads (default 2: grouped-query attention); must divide `attentionHeads`. */
  readonly keyValueHeads?: number;
  /** Model width (default 32); must be a multiple of `attentionHeads` unless `headDimension` is given. */
  readonly hiddenSize?: number;
  /** Size of one attention head (default `hiddenSize / attentionHeads`; Qwen 3 and Gemma 3 decouple it). */
  readonly headDimension?: number;
  /** MLP width (default 64). */
  readonly intermediateSize?: number;
  /** Output classes (default: the vocabulary size of the family's testkit tokenizer, `familyTokenizer`). */
  readonly vocabularySize?: number;
  /** Rotary position settings of the model. */
  readonly rope?: {
    /** `rope_theta` (default 10000). */
    readonly theta?: number;
    /** Rotated dimensions per head (default: the whole head). */
    readonly rotaryDimensions?: number;
    /** RoPE scaling (default none). */
    readonly scaling?: RopeScaling;
  };
  /** RMSNorm epsilon (default 1e-5). */
  readonly rmsNormEpsilon?: number;
  /** Share the embedding matrix with the output projection (default true). */
  readonly tiedEmbeddings?: boolean;
  /** `max_position_embeddings` (default 4096). */
  readonly maximumPositionEmbeddings?: number;
  /** Replaces the family's sliding window (only for a family that has one: `gemma3`). */
  readonly slidingWindow?: SlidingWindow;
}

/** Checks options and fills in defaults. */
export function resolveTinyLlamaConfig(given: TinyLlamaOptions = {}): TinyLlamaConfig {
  const family = given.family ?? 'llama';
  if (!isModelFamily(family)) {
    throw new InvalidOptionError({ option: 'family', value: family, expected: modelFamilies.join(', ') });
  }
  const defaults = familyDefaults(family);
  const options: TinyLlamaOptions = {
    ...defaults,
    ...given,
    rope: { ...defaults.rope, ...given.rope },
  };
  const positive = (option: string, value: number | undefined, fallback: number) =>
    requireInteger(option, value ?? fallback, { minimum: 1 });
  const seed = requireInteger('seed', options.seed ?? 1, { minimum: 0, maximum: 0xffffffff });
  const layers = positive('layers', options.layers, 1);
  const attentionHeads = positive('attentionHeads', options.attentionHeads, 4);
  const keyValueHeads = positive('keyValueHeads', options.keyValueHeads, 2);
  const hiddenSize = positive('hiddenSize', options.hiddenSize, 32);
  const intermediateSize = positive('intermediateSize', options.intermediateSize, 64);
  const vocabularySize = positive(
    'vocabularySize',
    options.vocabularySize,
    familyTokenizer(family).vocabularySize,
  );
  const maximumPositionEmbeddings = positive(
    'maximumPositionEmbeddings',
    options.maximumPositionEmbeddings,
    4096,
  );
  if (attentionHeads % keyValueHeads !== 0) {
    throw new InvalidOptionError({
      option: 'keyValueHeads',
      value: keyValueHeads,
      expected: `a divisor of attentionHeads = ${attentionHeads}`,
    });
  }
  if (options.headDimension === undefined && hiddenSize % attentionHeads !== 0) {
    throw new InvalidOptionError({
      option: 'hiddenSize',
      value: hiddenSize,
      expected: `a multiple of attentionHeads = ${attentionHeads} (or give headDimension)`,
    });
  }
  const headDimension = requireInteger(
    'headDimension',
    options.headDimension ?? hiddenSize / attentionHeads,
    {
      minimum: 2,
    },
  );
  if (headDimension % 2 !== 0) {
    throw new InvalidOptionError({
      option: 'headDimension',
      value: headDimension,
      expected: 'an even integer',
    });
  }
  const architecture = resolveSlidingWindow(familyArchitecture(family), options.slidingWindow, layers);
  const theta = requireNumber('rope.theta', options.rope?.theta ?? 10000, {
    minimum: 1,
    minimumExclusive: true,
  });
  const rotaryDimensions = options.rope?.rotaryDimensions ?? headDimension;
  if (
    !Number.isInteger(rotaryDimensions) ||
    rotaryDimensions < 2 ||
    rotaryDimensions % 2 !== 0 ||
    rotaryDimensions > headDimension
  ) {
    throw new InvalidOptionError({
      option: 'rope.rotaryDimensions',
      value: rotaryDimensions,
      expected: `an even integer in [2, headDimension = ${headDimension}]`,
    });
  }
  const rmsNormEpsilon = requireNumber('rmsNormEpsilon', options.rmsNormEpsilon ?? 1e-5, {
    minimum: 0,
    minimumExclusive: true,
  });
  const scaling = options.rope?.scaling;
  return {
    family,
    architecture,
    seed,
    layers,
    attentionHeads,
    keyValueHeads,
    hiddenSize,
    headDimension,
    intermediateSize,
    vocabularySize,
    rope: {
      theta,
      headDimension,
      ...(rotaryDimensions !== headDimension ? { rotaryDimensions } : {}),
      ...(scaling && scaling.type !== 'none' ? { scaling } : {}),
    },
    rmsNormEpsilon,
    tiedEmbeddings: options.tiedEmbeddings ?? true,
    maximumPositionEmbeddings,
  };
}

function resolveSlidingWindow(
  architecture: ReturnType<typeof familyArchitecture>,
  override: SlidingWindow | undefined,
  layers: number,
): ReturnType<typeof familyArchitecture> {
  if (override === undefined) return architecture;
  if (architecture.slidingWindow === undefined) {
    throw new InvalidOptionError({
      option: 'slidingWindow',
      value: override,
      expected: 'no sliding window: only the gemma3 family has one',
    });
  }
  const window = requireInteger('slidingWindow.window', override.window, { minimum: 1 });
  const pattern = requireInteger('slidingWindow.pattern', override.pattern, {
    minimum: 1,
    maximum: layers + 1,
  });
  const localTheta = requireNumber('slidingWindow.localTheta', override.localTheta, {
    minimum: 1,
    minimumExclusive: true,
  });
  return { ...architecture, slidingWindow: { window, pattern, localTheta } };
}

import { BackendError, fnv1a32, InvalidOptionError, type ModelInfo, requireInteger } from '@sirllm/core';
import { inspectCacheLayout } from './cache-layout.js';
import { DecoderRunner, type TransformersRuntime } from './decoder-runner.js';
import { LayerRotators } from './layer-rotators.js';
import { positionSchemeOf, unmovableLayerRope } from './position-scheme.js';
import { type CheckedSharedOptions, maximumCapacityRange } from './shared-options.js';
import type { TokenizerLike } from './tokenizer-bridge.js';
import { TransformersBackend, type TransformersDevice } from './transformers-backend.js';

/** A causal LM and its tokenizer as transformers.js loaded them, and what is known of their folder. */
export interface LoadedModel {
  /** The `@huggingface/transformers` module that loaded them (its `Tensor` class feeds the model). */
  readonly transformers: { readonly Tensor: unknown };
  readonly model: unknown;
  readonly tokenizer: unknown;
  /** The `model` option as the caller gave it (for error messages). */
  readonly source: string;
  /** `info.name` unless the caller named the backend. */
  readonly defaultName: string;
  /** config.json where the folder was read before loading; otherwise the model's own config is used. */
  readonly config?: Record<string, unknown>;
  /** The folder's fingerprint where it was computed from its files (`modelFingerprint`). */
  readonly fingerprint?: string;
}

/**
 * Wraps a loaded transformers.js causal LM as a {@link TransformersBackend}: reads the cache layout from
 * the ONNX graph's inputs, the vocabulary, special tokens and position scheme from the config, and picks
 * how moved keys are re-rotated. On any failure it disposes the model and throws (`InvalidOptionError`
 * for a model it cannot serve, `BackendError` otherwise). Shared by Node's `createTransformersBackend`
 * and the browser's `createBrowserTransformersBackend`.
 */
export async function assembleTransformersBackend(
  loaded: LoadedModel,
  options: CheckedSharedOptions & { readonly device: TransformersDevice },
): Promise<TransformersBackend> {
  const release = async () => {
    await (loaded.model as { dispose(): Promise<unknown> }).dispose();
  };
  try {
    const modelConfig = (loaded.model as { config: unknown }).config;
    const config = loaded.config ?? (JSON.parse(JSON.stringify(modelConfig)) as Record<string, unknown>);
    const name = options.name ?? loaded.defaultName;
    const session = (loaded.model as { sessions: Record<string, unknown> }).sessions.model as
      | { inputNames: string[]; inputMetadata?: { name: string; type?: unknown; shape?: unknown }[] }
      | undefined;
    if (!session) {
      throw new InvalidOptionError({
        option: 'model',
        value: loaded.source,
        expected: 'a decoder-only causal LM',
      });
    }
    const layout = inspectCacheLayout(session, config, name);
    const vocabularySize = Number(config.vocab_size);
    if (!Number.isInteger(vocabularySize) || vocabularySize <= 0) {
      throw new InvalidOptionError({
        option: 'model',
        value: config.vocab_size,
        expected: 'a config.json with vocab_size',
      });
    }
    const positionScheme = positionSchemeOf(config);
    let rotators: LayerRotators | undefined;
    let positionShift: ModelInfo['positionShift'] = 'exact';
    if (positionScheme.kind === 'rope') {
      if (unmovableLayerRope(positionScheme) !== undefined) positionShift = 'unsupported';
      else rotators = new LayerRotators(positionScheme.layers);
    } else if (positionScheme.kind === 'absolute') {
      positionShift = 'unsupported';
    }
    const trainedContextLength = Number(config.max_position_embeddings ?? 2048);
    const maximumCapacity =
      options.maximumCapacity ??
      requireInteger('maximumCapacity', trainedContextLength, maximumCapacityRange);
    const fingerprint =
      loaded.fingerprint ??
      `transformers:${fnv1a32(
        new TextEncoder().encode(`${loaded.source}|${options.dtype}|${JSON.stringify(config)}`),
      )
        .toString(16)
        .padStart(8, '0')}`;
    const tokenizer = loaded.tokenizer as TokenizerLike;
    const info: ModelInfo = {
      name,
      ...(typeof config.model_type === 'string' ? { architecture: config.model_type } : {}),
      fingerprint,
      vocabularySize,
      trainedContextLength,
      specialTokens: specialTokensOf(config, tokenizer),
      ...(positionScheme.kind === 'rope' ? { rope: positionScheme.settings } : {}),
      positionShift,
    };
    const runner = new DecoderRunner(
      { Tensor: loaded.transformers.Tensor, model: loaded.model } as TransformersRuntime,
      layout,
      vocabularySize,
    );
    return new TransformersBackend({
      info,
      runner,
      tokenizer,
      positionScheme,
      rotators,
      maximumCapacity,
      chunkSize: options.chunkSize,
      keepOriginalKeys: options.rotateFromOriginalKeys ?? layout.type === 'float16',
      device: options.device,
      release,
    });
  } catch (error) {
    await release().catch(() => undefined);
    if (error instanceof Error && 'option' in error) throw error;
    throw new BackendError(`Could not prepare model "${loaded.source}": ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function specialTokensOf(
  config: Record<string, unknown>,
  tokenizer: TokenizerLike,
): ModelInfo['specialTokens'] {
  const ids = (value: unknown): number[] =>
    (Array.isArray(value) ? value : [value]).filter((id): id is number => typeof id === 'number');
  const extra = tokenizer as unknown as { eos_token_id?: unknown; bos_token_id?: unknown };
  const endOfGeneration = [...new Set([...ids(config.eos_token_id), ...ids(extra.eos_token_id)])];
  const beginOfSequence = ids(config.bos_token_id)[0] ?? ids(extra.bos_token_id)[0];
  return { ...(beginOfSequence === undefined ? {} : { beginOfSequence }), endOfGeneration };
}

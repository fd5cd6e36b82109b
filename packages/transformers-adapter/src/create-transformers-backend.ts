import { basename, dirname } from 'node:path';
import {
  BackendError,
  fnv1a32,
  InvalidOptionError,
  type ModelInfo,
  optionalBoolean,
  optionalText,
  requireInteger,
  requireOptionsObject,
} from '@sirllm/core';
import { inspectCacheLayout } from './cache-layout.js';
import { DecoderRunner, type TransformersRuntime } from './decoder-runner.js';
import { LayerRotators } from './layer-rotators.js';
import { isLocalModel, readModelFolder } from './model-folder.js';
import { positionSchemeOf, unmovableLayerRope } from './position-scheme.js';
import type { TokenizerLike } from './tokenizer-bridge.js';
import { TransformersBackend } from './transformers-backend.js';
import type { TransformersBackendOptions, TransformersDtype } from './transformers-backend-options.js';
import { useWasmRuntime } from './wasm-runtime.js';

const dtypes: readonly TransformersDtype[] = ['fp32', 'fp16', 'q8', 'q4'];

const maximumCapacityRange = { minimum: 1, maximum: 2 ** 30 };

/** Every option of {@link TransformersBackendOptions}: anything else is a typo, refused by name. */
const optionNames: (keyof TransformersBackendOptions)[] = [
  'model',
  'dtype',
  'runtime',
  'threads',
  'chunkSize',
  'rotateFromOriginalKeys',
  'maximumCapacity',
  'name',
];

/**
 * Loads a causal LM with transformers.js and wraps it as a SirLLM backend. A local folder is checked
 * first (config.json and the ONNX file for `dtype` must exist) and loaded without network access; any
 * other string is a hub id, loaded as transformers.js' `env` allows. Rejects with `InvalidOptionError`
 * for a missing file, a bad option or a cache layout other than [batch, kv_heads, sequence, head_dim].
 */
export async function createTransformersBackend(
  options: TransformersBackendOptions,
): Promise<TransformersBackend> {
  requireOptionsObject(options, optionNames, { what: 'createTransformersBackend' });
  if (typeof options.model !== 'string' || options.model.length === 0) {
    throw new InvalidOptionError({
      option: 'model',
      value: options?.model,
      expected: 'a model folder or hub id',
    });
  }
  const dtype = options.dtype ?? 'fp32';
  if (!dtypes.includes(dtype)) {
    throw new InvalidOptionError({ option: 'dtype', value: dtype, expected: `one of ${dtypes.join(', ')}` });
  }
  const runtime = options.runtime ?? 'native';
  if (runtime !== 'native' && runtime !== 'wasm') {
    throw new InvalidOptionError({ option: 'runtime', value: runtime, expected: '"native" or "wasm"' });
  }
  const chunkSize = requireInteger('chunkSize', options.chunkSize ?? 64, { minimum: 1 });
  optionalBoolean('rotateFromOriginalKeys', options.rotateFromOriginalKeys);
  optionalText('name', options.name);
  // An explicit capacity is checked before the model loads; the default comes from the model's config.
  const requestedMaximumCapacity =
    options.maximumCapacity === undefined
      ? undefined
      : requireInteger('maximumCapacity', options.maximumCapacity, maximumCapacityRange);
  const threads =
    options.threads === undefined ? undefined : requireInteger('threads', options.threads, { minimum: 1 });
  const local = isLocalModel(options.model) ? readModelFolder(options.model, dtype) : undefined;

  // transformers.js picks its ONNX runtime when it is first imported: register the WASM one before.
  if (runtime === 'wasm') await useWasmRuntime(threads);
  const transformers = await import('@huggingface/transformers');
  const { env } = transformers;
  const sessionOptions: Record<string, unknown> = {};
  if (threads !== undefined) {
    sessionOptions.intraOpNumThreads = threads;
    sessionOptions.interOpNumThreads = 1;
  }
  if (runtime === 'wasm') sessionOptions.executionProviders = ['wasm'];
  const loadOptions: Record<string, unknown> = {
    dtype,
    device: runtime === 'wasm' ? 'auto' : 'cpu',
    session_options: sessionOptions,
  };
  const saved = {
    localModelPath: env.localModelPath,
    allowLocalModels: env.allowLocalModels,
    allowRemoteModels: env.allowRemoteModels,
  };
  let id = options.model;
  if (local) {
    env.localModelPath = `${dirname(local.path)}/`;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    id = basename(local.path);
    loadOptions.local_files_only = true;
  }
  let model: Awaited<ReturnType<typeof transformers.AutoModelForCausalLM.from_pretrained>>;
  let tokenizer: Awaited<ReturnType<typeof transformers.AutoTokenizer.from_pretrained>>;
  try {
    model = await transformers.AutoModelForCausalLM.from_pretrained(id, loadOptions);
    tokenizer = await transformers.AutoTokenizer.from_pretrained(id, local ? { local_files_only: true } : {});
  } catch (cause) {
    const message = (cause as Error).message;
    if (runtime === 'wasm' && /backend not found/.test(message)) {
      throw new InvalidOptionError({
        option: 'runtime',
        value: runtime,
        expected:
          '"native": @huggingface/transformers was already imported with onnxruntime-node in this process, ' +
          'and it picks its ONNX runtime at first import; create the first backend with runtime "wasm" ' +
          'before anything imports @huggingface/transformers, or use a separate process',
      });
    }
    throw new InvalidOptionError({
      option: 'model',
      value: options.model,
      expected: `a loadable transformers.js causal LM (${message})`,
    });
  } finally {
    env.localModelPath = saved.localModelPath;
    env.allowLocalModels = saved.allowLocalModels;
    env.allowRemoteModels = saved.allowRemoteModels;
  }
  const release = async () => {
    await (model as unknown as { dispose(): Promise<unknown> }).dispose();
  };
  try {
    const config = local?.config ?? (JSON.parse(JSON.stringify(model.config)) as Record<string, unknown>);
    const name = options.name ?? (local ? basename(local.path) : options.model);
    const session = (model as unknown as { sessions: Record<string, unknown> }).sessions.model as
      | { inputNames: string[]; inputMetadata?: { name: string; type?: unknown; shape?: unknown }[] }
      | undefined;
    if (!session) {
      throw new InvalidOptionError({
        option: 'model',
        value: options.model,
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
      requestedMaximumCapacity ??
      requireInteger('maximumCapacity', trainedContextLength, maximumCapacityRange);
    const fingerprint =
      local?.fingerprint ??
      `transformers:${fnv1a32(new TextEncoder().encode(`${options.model}|${dtype}|${JSON.stringify(config)}`))
        .toString(16)
        .padStart(8, '0')}`;
    const info: ModelInfo = {
      name,
      ...(typeof config.model_type === 'string' ? { architecture: config.model_type } : {}),
      fingerprint,
      vocabularySize,
      trainedContextLength,
      specialTokens: specialTokensOf(config, tokenizer as unknown as TokenizerLike),
      ...(positionScheme.kind === 'rope' ? { rope: positionScheme.settings } : {}),
      positionShift,
    };
    const runner = new DecoderRunner(
      { Tensor: transformers.Tensor, model } as unknown as TransformersRuntime,
      layout,
      vocabularySize,
    );
    return new TransformersBackend({
      info,
      runner,
      tokenizer: tokenizer as unknown as TokenizerLike,
      positionScheme,
      rotators,
      maximumCapacity,
      chunkSize,
      keepOriginalKeys: options.rotateFromOriginalKeys ?? layout.type === 'float16',
      release,
    });
  } catch (error) {
    await release().catch(() => undefined);
    if (error instanceof Error && 'option' in error) throw error;
    throw new BackendError(`Could not prepare model "${options.model}": ${(error as Error).message}`, {
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

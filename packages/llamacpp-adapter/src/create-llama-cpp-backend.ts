import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import {
  InvalidOptionError,
  type ModelInfo,
  optionalBoolean,
  optionalFunction,
  refuseUnshiftablePositions,
  requireInteger,
  requireOptionsObject,
} from '@sirllm/core';
import { getLlama, type Llama, LlamaLogLevel, type LlamaModel, readGgufFileInfo } from 'node-llama-cpp';
import { ContextPool, reservedCells } from './context-pool.js';
import { ggufFingerprint, ggufInfoFingerprint } from './gguf-fingerprint.js';
import { flattenGgufMetadata, metadataString } from './gguf-metadata.js';
import {
  cacheTypeContextOptions,
  keysRequantizedOnShift,
  refuseUnfitCacheTypes,
  resolveKeyValueCacheTypes,
} from './key-value-cache-types.js';
import { LlamaCppBackend } from './llama-cpp-backend.js';
import type { LlamaCppBackendOptions } from './llama-cpp-backend-options.js';
import { positionShiftCapability } from './position-shift-capability.js';
import { ropeSettingsFromGguf } from './rope-settings-from-gguf.js';

const ggufMagic = [0x47, 0x47, 0x55, 0x46]; // "GGUF"

const contextSizeRange = { minimum: 1, maximum: 1 << 24 };
const batchSizeRange = { minimum: 1, maximum: 1 << 16 };

/** Every option of {@link LlamaCppBackendOptions}: anything else is a typo, refused by name. */
const optionNames: (keyof LlamaCppBackendOptions)[] = [
  'modelPath',
  'model',
  'llama',
  'gpu',
  'threads',
  'contextSize',
  'sequencesPerContext',
  'batchSize',
  'kvCacheType',
  'flashAttention',
  'evictionMode',
  'onWarning',
];

/**
 * Loads a GGUF model (or wraps a `LlamaModel` you own) as a SirLLM backend.
 *
 * Checks, in this order and before anything is evaluated: the options (typed `InvalidOptionError`s
 * naming the option), that the file exists and is GGUF, that the model's positions can be shifted
 * (`PositionShiftUnsupportedError` for M-RoPE, latent-attention, sliding-window and recurrent
 * models), and that a context of `contextSize` fits (`InvalidOptionError` for `contextSize`).
 * YaRN-scaled models load with a warning unless `evictionMode: 'rebuild'`.
 */
export async function createLlamaCppBackend(options: LlamaCppBackendOptions): Promise<LlamaCppBackend> {
  requireOptionsObject(options, optionNames, { what: 'createLlamaCppBackend' });
  if ((options.modelPath === undefined) === (options.model === undefined)) {
    throw new InvalidOptionError({
      option: 'modelPath',
      value: options.modelPath,
      expected: 'exactly one of modelPath (a GGUF file) or model (a loaded LlamaModel)',
    });
  }
  if (options.model !== undefined && !isLlamaModel(options.model)) {
    throw new InvalidOptionError({
      option: 'model',
      value: options.model,
      expected:
        typeof options.model === 'string'
          ? `a LlamaModel you loaded with node-llama-cpp; to load a GGUF file, pass modelPath: ${JSON.stringify(options.model)}`
          : 'a LlamaModel loaded with node-llama-cpp (llama.loadModel), or pass modelPath with a GGUF file',
    });
  }
  if (options.llama !== undefined && typeof (options.llama as Partial<Llama>)?.loadModel !== 'function') {
    throw new InvalidOptionError({
      option: 'llama',
      value: options.llama,
      expected: 'a Llama instance from node-llama-cpp (await getLlama(...))',
    });
  }
  const gpu = options.gpu;
  if (gpu !== undefined && gpu !== false && typeof gpu !== 'string' && typeof gpu !== 'object') {
    throw new InvalidOptionError({
      option: 'gpu',
      value: gpu,
      expected: "false, 'auto' or a node-llama-cpp GPU type such as 'cuda', 'vulkan' or 'metal'",
    });
  }
  const flashAttention = optionalBoolean('flashAttention', options.flashAttention) ?? false;
  // Explicit sizes are checked before the model loads; the defaults depend on the loaded model.
  const requestedContextSize =
    options.contextSize === undefined
      ? undefined
      : requireInteger('contextSize', options.contextSize, contextSizeRange);
  const requestedBatchSize =
    options.batchSize === undefined
      ? undefined
      : requireInteger('batchSize', options.batchSize, batchSizeRange);
  const threads = requireInteger('threads', options.threads ?? availableParallelism(), {
    minimum: 1,
    maximum: 1024,
  });
  const sequencesPerContext = requireInteger('sequencesPerContext', options.sequencesPerContext ?? 4, {
    minimum: 1,
    maximum: 256,
  });
  const evictionMode = options.evictionMode ?? 'shift';
  if (evictionMode !== 'shift' && evictionMode !== 'rebuild') {
    throw new InvalidOptionError({
      option: 'evictionMode',
      value: evictionMode,
      expected: '"shift" or "rebuild"',
    });
  }
  const cacheTypes = resolveKeyValueCacheTypes(options.kvCacheType);
  const warn =
    optionalFunction<(message: string) => void>('onWarning', options.onWarning) ??
    ((message: string) => console.warn(message));

  const path =
    options.modelPath !== undefined ? await checkGgufPath(options.modelPath) : modelPathOf(options.model);
  const fileInfo = options.model ? options.model.fileInfo : await readGgufFileInfo(path as string);
  const metadata = flattenGgufMetadata(fileInfo.metadata);
  const architecture = metadataString(metadata, 'general.architecture') ?? 'unknown';
  const name = metadataString(metadata, 'general.name') ?? (path ? basename(path) : architecture);
  const capability = positionShiftCapability(architecture, metadata);
  refuseUnshiftablePositions({ ...capability, model: name });
  refuseUnfitCacheTypes(cacheTypes, { name, architecture, metadata }, { flashAttention, evictionMode });
  if (capability.support === 'approximate' && evictionMode === 'shift') {
    warn(
      `[@sirllm/llamacpp] Model "${name}" uses ${capability.scheme} RoPE scaling: llama.cpp moves its cached keys ` +
        'inexactly and the error grows with every eviction. Pass evictionMode: "rebuild" for exact (slower) eviction.',
    );
  } else if (keysRequantizedOnShift(cacheTypes) && evictionMode === 'shift') {
    warn(
      `[@sirllm/llamacpp] ${cacheTypes.key} keys are quantized again every time llama.cpp moves them, so the ` +
        'error grows with every eviction. Pass evictionMode: "rebuild" for exact (slower) eviction, or keep keys f16.',
    );
  }
  const positionShift =
    evictionMode === 'rebuild'
      ? 'exact'
      : keysRequantizedOnShift(cacheTypes)
        ? 'approximate'
        : capability.support;

  let ownedLlama: Llama | undefined;
  let ownedModel: LlamaModel | undefined;
  const releaseOwned = async () => {
    if (ownedModel && !ownedModel.disposed) await ownedModel.dispose();
    if (ownedLlama && !ownedLlama.disposed) await ownedLlama.dispose();
  };
  try {
    let model = options.model;
    if (!model) {
      let llama = options.llama;
      if (!llama) {
        ownedLlama = await getLlama({
          build: 'never',
          gpu: options.gpu ?? 'auto',
          maxThreads: threads,
          logLevel: LlamaLogLevel.error,
        });
        llama = ownedLlama;
      }
      ownedModel = await llama.loadModel({ modelPath: path as string });
      model = ownedModel;
    }
    const trained = model.trainContextSize;
    const contextSize =
      requestedContextSize ?? requireInteger('contextSize', Math.min(trained, 4096), contextSizeRange);
    const batchSize = requestedBatchSize ?? Math.min(contextSize, 512);
    const pool = new ContextPool(model, {
      contextSize: contextSize + reservedCells,
      sequences: sequencesPerContext,
      batchSize,
      threads,
      flashAttention,
      ...cacheTypeContextOptions(cacheTypes),
    });
    try {
      await pool.warm();
    } catch (error) {
      throw new InvalidOptionError({
        option: 'contextSize',
        value: contextSize,
        expected: `a context that fits in memory with ${sequencesPerContext} sequences (${describe(error)}); lower contextSize or sequencesPerContext`,
      });
    }
    const info: ModelInfo = {
      name,
      ...(architecture === 'unknown' ? {} : { architecture }),
      fingerprint: path
        ? await ggufFingerprint(path, fileInfo.infoEndOffset)
        : ggufInfoFingerprint(fileInfo.metadata, fileInfo.tensorInfo),
      vocabularySize: countTokens(model),
      trainedContextLength: trained,
      specialTokens: specialTokensOf(model),
      ...optionalRope(architecture, metadata),
      positionShift,
    };
    return new LlamaCppBackend({
      info,
      model,
      pool,
      contextSize,
      sequencesPerContext,
      batchSize,
      evictionMode,
      positionScheme: capability.scheme,
      release: releaseOwned,
    });
  } catch (error) {
    await releaseOwned();
    throw error;
  }
}

async function checkGgufPath(path: unknown): Promise<string> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidOptionError({ option: 'modelPath', value: path, expected: 'the path of a GGUF file' });
  }
  let header: Uint8Array;
  try {
    const file = await open(path, 'r');
    try {
      header = new Uint8Array(4);
      const { bytesRead } = await file.read(header, 0, 4, 0);
      header = header.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new InvalidOptionError({
      option: 'modelPath',
      value: path,
      expected: `a readable GGUF file (${describe(error)})`,
    });
  }
  if (header.length < 4 || !ggufMagic.every((byte, i) => header[i] === byte)) {
    throw new InvalidOptionError({
      option: 'modelPath',
      value: path,
      expected:
        'a GGUF model file (it must start with the bytes "GGUF"; convert other formats with llama.cpp)',
    });
  }
  return path;
}

/** Whether `value` looks like a node-llama-cpp `LlamaModel` (what this module reads of one). */
function isLlamaModel(value: unknown): value is LlamaModel {
  const model = value as Partial<LlamaModel> | null;
  return (
    typeof model === 'object' &&
    model !== null &&
    typeof model.tokenize === 'function' &&
    typeof model.fileInfo === 'object' &&
    model.fileInfo !== null
  );
}

/** node-llama-cpp keeps the resolved path of a loaded model in an internal field. */
function modelPathOf(model: LlamaModel | undefined): string | undefined {
  const path = (model as unknown as { _modelPath?: unknown } | undefined)?._modelPath;
  return typeof path === 'string' ? path : undefined;
}

function countTokens(model: LlamaModel): number {
  let count = 0;
  for (const _ of model.iterateAllTokens()) count++;
  return count;
}

function specialTokensOf(model: LlamaModel): ModelInfo['specialTokens'] {
  const { bos, eos, eot } = model.tokens;
  const endOfGeneration = [...new Set([eos, eot].filter((token) => token !== null).map(Number))];
  return { ...(bos !== null ? { beginOfSequence: Number(bos) } : {}), endOfGeneration };
}

function optionalRope(architecture: string, metadata: ReadonlyMap<string, unknown>) {
  const rope = ropeSettingsFromGguf(architecture, metadata);
  return rope ? { rope } : {};
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

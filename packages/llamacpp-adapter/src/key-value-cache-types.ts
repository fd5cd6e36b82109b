import { InvalidOptionError } from '@sirllm/core';
import type { LlamaContextOptions } from 'node-llama-cpp';
import { metadataNumber } from './gguf-metadata.js';
import type { EvictionMode, KeyValueCacheType, KeyValueCacheTypes } from './llama-cpp-backend-options.js';

const cacheTypes: readonly KeyValueCacheType[] = ['f32', 'f16', 'q8_0'];
const ggmlNames = { f32: 'F32', f16: 'F16', q8_0: 'Q8_0' } as const;
/** Values per block of each quantized cache type (llama.cpp needs head sizes that are whole blocks). */
const blockLengths: Partial<Record<KeyValueCacheType, number>> = { q8_0: 32 };

const expectedCacheType =
  '"f32", "f16", "q8_0" or { key, value } with one of those each (bf16 keys cannot be shifted on CPU)';

/** The `kvCacheType` option as separate key and value types (default f16 for both). */
export function resolveKeyValueCacheTypes(option: unknown): KeyValueCacheTypes {
  if (option === undefined) return { key: 'f16', value: 'f16' };
  if (isCacheType(option)) return { key: option, value: option };
  if (typeof option === 'object' && option !== null && !Array.isArray(option)) {
    const { key, value, ...rest } = option as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) {
      throw new InvalidOptionError({
        option: `kvCacheType.${unknown}`,
        value: rest[unknown],
        expected: 'only key and value',
      });
    }
    if (!isCacheType(key))
      throw new InvalidOptionError({
        option: 'kvCacheType.key',
        value: key,
        expected: cacheTypes.map((type) => `"${type}"`).join(', '),
      });
    if (!isCacheType(value))
      throw new InvalidOptionError({
        option: 'kvCacheType.value',
        value,
        expected: cacheTypes.map((type) => `"${type}"`).join(', '),
      });
    return { key, value };
  }
  throw new InvalidOptionError({ option: 'kvCacheType', value: option, expected: expectedCacheType });
}

/**
 * Refuses, before the model loads, cache types that llama.cpp cannot run with this model: a quantized
 * type whose block does not divide the head size (llama.cpp would abort the process creating the cache
 * or its per-head views), quantized values without flash attention (llama.cpp refuses the context),
 * and quantized keys that `evictionMode: 'shift'` would move where llama.cpp crashes doing so.
 */
export function refuseUnfitCacheTypes(
  types: KeyValueCacheTypes,
  model: {
    readonly name: string;
    readonly architecture: string;
    readonly metadata: ReadonlyMap<string, unknown>;
  },
  settings: { readonly flashAttention: boolean; readonly evictionMode: EvictionMode },
): void {
  const sizes = headSizes(model.architecture, model.metadata);
  for (const part of ['key', 'value'] as const) {
    const type = types[part];
    const block = blockLengths[type];
    if (block === undefined) continue;
    const size = sizes[part];
    if (size === undefined || size % block !== 0) {
      throw new InvalidOptionError({
        option: 'kvCacheType',
        value: type,
        expected: `a cache type whose ${block}-value blocks fit the ${part} head size of "${model.name}" (${size ?? 'unknown'}, not a multiple of ${block}); use "f16" or "f32" for ${part}s`,
      });
    }
  }
  if (blockLengths[types.value] !== undefined && !settings.flashAttention) {
    throw new InvalidOptionError({
      option: 'kvCacheType',
      value: types.value,
      expected:
        'a float value cache ("f16" or "f32"), or pass flashAttention: true: llama.cpp stores quantized values only with flash attention',
    });
  }
  if (keysRequantizedOnShift(types) && settings.evictionMode === 'shift' && !hadamardRotationOn(sizes.key)) {
    // llama.cpp's shift of quantized keys multiplies by its Hadamard matrix, which exists only for head
    // sizes that are multiples of 64 (src/llama-kv-cache.cpp build_rope_shift: a null pointer otherwise).
    throw new InvalidOptionError({
      option: 'kvCacheType',
      value: types.key,
      expected: `keys llama.cpp can move: its shift of ${types.key} keys crashes the process for a key head size of ${sizes.key}${hadamardRotationDisabled() ? ' with LLAMA_ATTN_ROT_DISABLE set' : ' (it needs a multiple of 64)'}. Use "f16" or "f32" keys, or evictionMode: "rebuild" (retain re-evaluates instead of moving keys)`,
    });
  }
}

/** Whether llama.cpp rotates quantized keys with a Hadamard matrix (needed to shift them). */
function hadamardRotationOn(keyHeadSize: number | undefined): boolean {
  return keyHeadSize !== undefined && keyHeadSize % 64 === 0 && !hadamardRotationDisabled();
}

/** llama.cpp reads `LLAMA_ATTN_ROT_DISABLE` with `atoi`: any value that starts with a non-zero number. */
function hadamardRotationDisabled(): boolean {
  const value = process.env.LLAMA_ATTN_ROT_DISABLE;
  return value !== undefined && Number.parseInt(value, 10) !== 0 && !Number.isNaN(Number.parseInt(value, 10));
}

/** Whether llama.cpp re-quantizes cached keys when it shifts them (lossy on every shift). */
export function keysRequantizedOnShift(types: KeyValueCacheTypes): boolean {
  return blockLengths[types.key] !== undefined;
}

/** The node-llama-cpp context options for `types` (none for the default f16 cache). */
export function cacheTypeContextOptions(types: KeyValueCacheTypes): Partial<LlamaContextOptions> {
  if (types.key === 'f16' && types.value === 'f16') return {};
  return {
    experimentalKvCacheKeyType: ggmlNames[types.key],
    experimentalKvCacheValueType: ggmlNames[types.value],
  };
}

/** Key and value head sizes from GGUF metadata (`attention.key_length` / `value_length`, else width / heads). */
function headSizes(
  architecture: string,
  metadata: ReadonlyMap<string, unknown>,
): { key: number | undefined; value: number | undefined } {
  const number = (suffix: string) => metadataNumber(metadata, `${architecture}.${suffix}`);
  const width = number('embedding_length');
  const heads = number('attention.head_count');
  const uniform = width !== undefined && heads !== undefined && heads > 0 ? width / heads : undefined;
  return {
    key: number('attention.key_length') ?? uniform,
    value: number('attention.value_length') ?? uniform,
  };
}

function isCacheType(value: unknown): value is KeyValueCacheType {
  return typeof value === 'string' && (cacheTypes as readonly string[]).includes(value);
}

import { InvalidOptionError } from '@sirllm/core';
import type { CacheType } from './cache-array.js';

/** What the adapter needs to know about a decoder session's inputs. */
export interface CacheLayout {
  readonly layers: number;
  readonly keyValueHeads: number;
  readonly headDimension: number;
  readonly type: CacheType;
  /** True for optimum-style graphs; false for GroupQueryAttention-fused ones (position = cache index). */
  readonly positionIds: boolean;
}

/** The parts of an onnxruntime session the check reads. */
export interface SessionDescription {
  readonly inputNames: readonly string[];
  readonly inputMetadata?: readonly {
    readonly name: string;
    readonly type?: unknown;
    readonly shape?: unknown;
  }[];
}

/**
 * Checks that a decoder session has one `past_key_values.{i}.key|value` pair per layer, in float32 or
 * float16, laid out [batch, kv_heads, sequence, head_dim], and whether it takes `position_ids`.
 * Throws `InvalidOptionError` (option `model`) naming what is wrong.
 */
export function inspectCacheLayout(
  session: SessionDescription,
  config: Record<string, unknown>,
  modelName: string,
): CacheLayout {
  const heads = Number(config.num_attention_heads);
  const layers = Number(config.num_hidden_layers);
  const keyValueHeads = Number(config.num_key_value_heads ?? heads);
  const headDimension = Number(config.head_dim ?? Number(config.hidden_size) / heads);
  const refuse = (expected: string, value: unknown) =>
    new InvalidOptionError({ option: 'model', value, expected: `${expected} (model "${modelName}")` });
  if (![layers, keyValueHeads, headDimension].every((n) => Number.isInteger(n) && n > 0)) {
    throw refuse(
      'a config.json with integer num_hidden_layers, num_attention_heads, num_key_value_heads and head_dim (or hidden_size)',
      JSON.stringify({ layers, keyValueHeads, headDimension }),
    );
  }
  for (const name of ['input_ids', 'attention_mask']) {
    if (!session.inputNames.includes(name)) {
      throw refuse(`an ONNX decoder with an "${name}" input`, session.inputNames.join(', '));
    }
  }
  let type: CacheType | undefined;
  for (let layer = 0; layer < layers; layer++) {
    for (const part of ['key', 'value']) {
      const name = `past_key_values.${layer}.${part}`;
      if (!session.inputNames.includes(name)) {
        throw refuse(
          `an ONNX decoder exported with a KV cache: inputs past_key_values.0..${layers - 1}.key/value ` +
            '(re-export with use_cache / "text-generation-with-past")',
          session.inputNames.join(', '),
        );
      }
      const metadata = session.inputMetadata?.find((entry) => entry.name === name);
      if (!metadata) continue;
      const elementType = String(metadata.type);
      if (elementType !== 'float32' && elementType !== 'float16') {
        throw refuse(`a float32 or float16 cache (input ${name} is ${elementType})`, elementType);
      }
      if (type !== undefined && type !== elementType)
        throw refuse('one cache type for every layer', elementType);
      type = elementType;
      const shape = Array.isArray(metadata.shape) ? (metadata.shape as unknown[]) : undefined;
      if (shape) {
        const fixed = (axis: number, size: number) => shape[axis] === size || typeof shape[axis] === 'string';
        const layoutMatches =
          shape.length === 4 &&
          fixed(1, keyValueHeads) &&
          typeof shape[2] !== 'number' &&
          fixed(3, headDimension);
        if (!layoutMatches) {
          throw refuse(
            `cache inputs laid out [batch, kv_heads = ${keyValueHeads}, sequence, head_dim = ${headDimension}] ` +
              `(input ${name} is [${shape.join(', ')}]); this adapter cannot compact other layouts`,
            `[${shape.join(', ')}]`,
          );
        }
      }
    }
  }
  return {
    layers,
    keyValueHeads,
    headDimension,
    type: type ?? 'float32',
    positionIds: session.inputNames.includes('position_ids'),
  };
}

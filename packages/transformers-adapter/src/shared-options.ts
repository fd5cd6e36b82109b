import {
  InvalidOptionError,
  optionalBoolean,
  optionalText,
  requireInteger,
  requireOptionsObject,
} from '@sirllm/core';
import { transformersDtypes } from './dtype.js';
import type { TransformersBackendOptions, TransformersDtype } from './transformers-backend-options.js';

/** The options every transformers.js backend factory shares (Node's and the browser's). */
export type SharedTransformersOptions = Pick<
  TransformersBackendOptions,
  'model' | 'dtype' | 'threads' | 'chunkSize' | 'rotateFromOriginalKeys' | 'maximumCapacity' | 'name'
>;

/** The shared options, checked, with their defaults filled in. */
export interface CheckedSharedOptions {
  readonly dtype: TransformersDtype;
  readonly chunkSize: number;
  /** An explicit capacity; the default comes from the model's config once it is loaded. */
  readonly maximumCapacity: number | undefined;
  readonly threads: number | undefined;
  readonly rotateFromOriginalKeys: boolean | undefined;
  readonly name: string | undefined;
}

export const maximumCapacityRange = { minimum: 1, maximum: 2 ** 30 };

/**
 * Checks the options object of a backend factory before anything loads: unknown names (refused with the
 * closest known one), `model` (a non-empty string, described by `modelExpected`), `dtype`, `chunkSize`,
 * `threads`, `maximumCapacity`, `rotateFromOriginalKeys` and `name`. Throws `InvalidOptionError`.
 */
export function checkSharedOptions<Options extends SharedTransformersOptions>(
  options: Options,
  optionNames: readonly (keyof Options & string)[],
  what: string,
  modelExpected: string,
): CheckedSharedOptions {
  requireOptionsObject(options, optionNames, { what });
  if (typeof options.model !== 'string' || options.model.length === 0) {
    throw new InvalidOptionError({ option: 'model', value: options?.model, expected: modelExpected });
  }
  const dtype = options.dtype ?? 'fp32';
  if (!transformersDtypes.includes(dtype)) {
    throw new InvalidOptionError({
      option: 'dtype',
      value: dtype,
      expected: `one of ${transformersDtypes.join(', ')}`,
    });
  }
  const chunkSize = requireInteger('chunkSize', options.chunkSize ?? 64, { minimum: 1 });
  optionalBoolean('rotateFromOriginalKeys', options.rotateFromOriginalKeys);
  optionalText('name', options.name);
  const maximumCapacity =
    options.maximumCapacity === undefined
      ? undefined
      : requireInteger('maximumCapacity', options.maximumCapacity, maximumCapacityRange);
  const threads =
    options.threads === undefined ? undefined : requireInteger('threads', options.threads, { minimum: 1 });
  const { rotateFromOriginalKeys, name } = options;
  return { dtype, chunkSize, maximumCapacity, threads, rotateFromOriginalKeys, name };
}

import { InvalidOptionError } from '@sirllm/core';
import type { BlockFormat } from './block-format.js';
import { q4_0Format } from './q4-0-format.js';
import { q8_0Format } from './q8-0-format.js';

/** The ggml block quantizations the testkit can write: Q8_0 (8.5 bits per value) and Q4_0 (4.5). */
export type QuantizedTensorType = 'q8_0' | 'q4_0';

const formats: Readonly<Record<QuantizedTensorType, BlockFormat>> = { q8_0: q8_0Format, q4_0: q4_0Format };

/** The block layout of `type`. */
export function blockFormat(type: QuantizedTensorType): BlockFormat {
  return formats[type];
}

/** Whether `type` is one of the block quantizations (not a float type). */
export function isQuantizedTensorType(type: string): type is QuantizedTensorType {
  return Object.hasOwn(formats, type);
}

/**
 * `values` encoded as consecutive `type` blocks, exactly the bytes a GGUF file stores for them. The
 * length must be a multiple of the block length (32); a matrix's rows must each be, so that no block
 * straddles two rows (the writer checks that per tensor).
 */
export function quantizeBlocks(values: Float32Array, type: QuantizedTensorType): Uint8Array {
  const format = formats[type];
  requireWholeBlocks('values', values.length, type);
  const blocks = values.length / format.blockLength;
  const bytes = new Uint8Array(blocks * format.blockBytes);
  const view = new DataView(bytes.buffer);
  for (let block = 0; block < blocks; block++) {
    format.quantizeBlock(values, block * format.blockLength, view, block * format.blockBytes);
  }
  return bytes;
}

/** The values that `type` blocks stand for (the inverse of {@link quantizeBlocks} up to its rounding). */
export function dequantizeBlocks(bytes: Uint8Array, type: QuantizedTensorType): Float32Array {
  const format = formats[type];
  if (bytes.length % format.blockBytes !== 0) {
    throw new InvalidOptionError({
      option: 'bytes',
      value: bytes,
      expected: `whole ${type} blocks of ${format.blockBytes} bytes`,
    });
  }
  const blocks = bytes.length / format.blockBytes;
  const values = new Float32Array(blocks * format.blockLength);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let block = 0; block < blocks; block++) {
    format.dequantizeBlock(view, block * format.blockBytes, values, block * format.blockLength);
  }
  return values;
}

/** The values `values` becomes once stored as `type`: what llama.cpp computes with. */
export function roundToBlocks(values: Float32Array, type: QuantizedTensorType): Float32Array {
  return dequantizeBlocks(quantizeBlocks(values, type), type);
}

/**
 * Refuses a row (or a whole vector) whose length is not a multiple of the block length of `type`,
 * naming `option` (for a tensor, its name).
 */
export function requireWholeBlocks(option: string, length: number, type: QuantizedTensorType): void {
  const { blockLength } = formats[type];
  if (length % blockLength !== 0) {
    throw new InvalidOptionError({
      option,
      value: length,
      expected: `a row length that is a multiple of ${blockLength}, the ${type} block length (store this tensor as f32 or f16, or choose a width that is a multiple of ${blockLength})`,
    });
  }
}

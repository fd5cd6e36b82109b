import { InvalidOptionError } from '@sirllm/core';
import { toFloat16Array } from './float16.js';
import { GgufByteWriter } from './gguf-byte-writer.js';
import type { GgufValue } from './gguf-value.js';
import {
  isQuantizedTensorType,
  type QuantizedTensorType,
  quantizeBlocks,
  requireWholeBlocks,
} from './quantization/quantized-blocks.js';

/**
 * Storage types the writer can encode: `f32` and `f16` (ggml type ids 0 and 1), and the block
 * quantizations `q8_0` (8) and `q4_0` (2), whose rows (ne[0]) must be multiples of 32.
 */
export type GgufTensorType = 'f32' | 'f16' | QuantizedTensorType;

const ggmlTypeIds: Readonly<Record<GgufTensorType, number>> = { f32: 0, f16: 1, q8_0: 8, q4_0: 2 };

const fileTypes: Readonly<Record<GgufTensorType, number>> = { f32: 0, f16: 1, q8_0: 7, q4_0: 2 };

/**
 * `general.file_type` (llama.cpp's `LLAMA_FTYPE_*`) of a file whose matrices are stored as `matrixType`:
 * `ALL_F32` 0, `MOSTLY_F16` 1, `MOSTLY_Q4_0` 2, `MOSTLY_Q8_0` 7.
 */
export function ggufFileType(matrixType: GgufTensorType): number {
  return fileTypes[matrixType];
}

/** One tensor to write. */
export interface GgufTensor {
  /** The tensor's name in the file (llama.cpp's, e.g. `blk.0.attn_q.weight`). */
  readonly name: string;
  /**
   * Extents in ggml order: the fastest-varying dimension first. A row-major PyTorch `[out, in]` matrix
   * is `[in, out]` here, with the same bytes.
   */
  readonly dimensions: readonly number[];
  /** How the tensor is stored. */
  readonly type: GgufTensorType;
  /** The elements, in ggml order; encoded as `type` on writing. */
  readonly data: Float32Array;
}

/** The content of a GGUF file. */
export interface GgufContent {
  /** Metadata in file order. `general.alignment` is added when it is not there. */
  readonly metadata: readonly (readonly [key: string, value: GgufValue])[];
  /** The tensors, in file order. */
  readonly tensors: readonly GgufTensor[];
}

const magic = 0x46554747; // "GGUF" read as a little-endian uint32
const version = 3;
const defaultAlignment = 32;

/**
 * Encodes a GGUF v3 file: header, typed metadata, tensor infos, then each tensor's data at an offset
 * aligned to `general.alignment` (32 unless the metadata says otherwise).
 */
export function writeGguf(content: GgufContent): Uint8Array {
  const alignmentEntry = content.metadata.find(([key]) => key === 'general.alignment');
  const alignment =
    alignmentEntry && 'value' in alignmentEntry[1] ? Number(alignmentEntry[1].value) : defaultAlignment;
  const metadata = alignmentEntry
    ? content.metadata
    : [...content.metadata, ['general.alignment', { type: 'uint32', value: defaultAlignment }] as const];
  const encoded = content.tensors.map((tensor) => ({ tensor, bytes: tensorBytes(tensor) }));

  const writer = new GgufByteWriter();
  writer.uint32(magic);
  writer.uint32(version);
  writer.uint64(content.tensors.length);
  writer.uint64(metadata.length);
  for (const [key, value] of metadata) {
    writer.string(key);
    writer.value(value);
  }
  let offset = 0;
  for (const { tensor, bytes } of encoded) {
    writer.string(tensor.name);
    writer.uint32(tensor.dimensions.length);
    for (const extent of tensor.dimensions) writer.uint64(extent);
    writer.uint32(ggmlTypeIds[tensor.type]);
    writer.uint64(offset);
    offset += align(bytes.length, alignment);
  }
  writer.padTo(alignment);
  for (const { bytes } of encoded) {
    writer.bytes(bytes);
    writer.padTo(alignment);
  }
  return writer.toBytes();
}

function tensorBytes(tensor: GgufTensor): Uint8Array {
  const size = tensor.dimensions.reduce((product, extent) => product * extent, 1);
  if (size !== tensor.data.length) {
    throw new InvalidOptionError({
      option: `tensors[${tensor.name}].dimensions`,
      value: tensor.dimensions.join('x'),
      expected: `extents whose product is the data length ${tensor.data.length}`,
    });
  }
  if (isQuantizedTensorType(tensor.type)) {
    requireWholeBlocks(`tensors[${tensor.name}].dimensions[0]`, tensor.dimensions[0] ?? 0, tensor.type);
    return quantizeBlocks(tensor.data, tensor.type);
  }
  const typed = tensor.type === 'f16' ? toFloat16Array(tensor.data) : tensor.data;
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength).slice();
}

function align(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

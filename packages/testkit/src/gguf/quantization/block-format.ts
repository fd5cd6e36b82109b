/**
 * One ggml block quantization: runs of `blockLength` consecutive values (along a row, ne[0]) stored
 * as `blockBytes` bytes each. Both functions work on one block in place, so a caller walks the blocks.
 */
export interface BlockFormat {
  /** Values per block. */
  readonly blockLength: number;
  /** Bytes per encoded block. */
  readonly blockBytes: number;
  /** Encodes `values[start … start + blockLength)` into `out` at byte `offset`. */
  quantizeBlock(values: Float32Array, start: number, out: DataView, offset: number): void;
  /** Decodes the block at byte `offset` of `bytes` into `out[start … start + blockLength)`. */
  dequantizeBlock(bytes: DataView, offset: number, out: Float32Array, start: number): void;
}

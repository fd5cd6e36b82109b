import { float16Bits, float16Value } from '../float16.js';
import type { BlockFormat } from './block-format.js';

const blockLength = 32;

/**
 * ggml's Q8_0 (type id 8): blocks of 32 values stored as a little-endian float16 scale d followed by 32
 * signed bytes q, value = q·d. Encoded as ggml's reference quantizer does it, in float32 arithmetic:
 * d = max|x| / 127, q = x·(1/d) rounded half away from zero (all q = 0 when d = 0). The float32 d is
 * used for q and only then rounded to float16 for storage.
 */
export const q8_0Format: BlockFormat = {
  blockLength,
  blockBytes: 2 + blockLength,
  quantizeBlock(values, start, out, offset) {
    let largest = 0;
    for (let j = 0; j < blockLength; j++) largest = Math.max(largest, Math.abs(values[start + j] as number));
    const scale = Math.fround(largest / 127);
    const inverse = scale === 0 ? 0 : Math.fround(1 / scale);
    out.setUint16(offset, float16Bits(scale), true);
    for (let j = 0; j < blockLength; j++) {
      const scaled = Math.fround((values[start + j] as number) * inverse);
      out.setInt8(offset + 2 + j, roundHalfAwayFromZero(scaled));
    }
  },
  dequantizeBlock(bytes, offset, out, start) {
    const scale = float16Value(bytes.getUint16(offset, true));
    for (let j = 0; j < blockLength; j++) out[start + j] = bytes.getInt8(offset + 2 + j) * scale;
  },
};

/** C's `roundf`: to the nearest integer, halfway cases away from zero. */
function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.floor(Math.abs(value) + 0.5);
}

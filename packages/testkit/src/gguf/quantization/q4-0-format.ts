import { float16Bits, float16Value } from '../float16.js';
import type { BlockFormat } from './block-format.js';

const blockLength = 32;
const half = blockLength / 2;

/**
 * ggml's Q4_0 (type id 2): blocks of 32 values stored as a little-endian float16 scale d followed by 16
 * bytes of 4-bit codes n, value = (n − 8)·d. Byte j holds element j in its low nibble and element j + 16
 * in its high nibble. Encoded as ggml's reference quantizer does it, in float32 arithmetic: m is the
 * first element of largest magnitude (with its sign), d = m / −8, n = min(15, trunc(x·(1/d) + 8.5)) —
 * so m itself is code 0 and exact up to the float16 rounding of d; all codes are 8 when d = 0.
 */
export const q4_0Format: BlockFormat = {
  blockLength,
  blockBytes: 2 + half,
  quantizeBlock(values, start, out, offset) {
    let largestMagnitude = 0;
    let extreme = 0;
    for (let j = 0; j < blockLength; j++) {
      const value = values[start + j] as number;
      if (largestMagnitude < Math.abs(value)) {
        largestMagnitude = Math.abs(value);
        extreme = value;
      }
    }
    const scale = Math.fround(extreme / -8);
    const inverse = scale === 0 ? 0 : Math.fround(1 / scale);
    out.setUint16(offset, float16Bits(scale), true);
    const code = (value: number) => Math.min(15, Math.trunc(Math.fround(Math.fround(value * inverse) + 8.5)));
    for (let j = 0; j < half; j++) {
      const low = code(values[start + j] as number);
      const high = code(values[start + half + j] as number);
      out.setUint8(offset + 2 + j, low | (high << 4));
    }
  },
  dequantizeBlock(bytes, offset, out, start) {
    const scale = float16Value(bytes.getUint16(offset, true));
    for (let j = 0; j < half; j++) {
      const pair = bytes.getUint8(offset + 2 + j);
      out[start + j] = ((pair & 0x0f) - 8) * scale;
      out[start + half + j] = ((pair >> 4) - 8) * scale;
    }
  },
};

/**
 * Half-precision helpers. Cache tensors in float16 are handled as `Uint16Array` bit patterns on every
 * runtime: Node 20 hands them out that way, and a `Float16Array` (Bun, Deno, newer Node) is viewed as
 * bits without copying. The library's own float16 conversion is never used (it truncates on Node 20).
 */

/** The float value of every half-precision bit pattern. */
export const halfToFloat: Float32Array = (() => {
  const table = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits++) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    if (exponent === 0) table[bits] = sign * mantissa * 2 ** -24;
    else if (exponent === 0x1f) table[bits] = mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
    else table[bits] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return table;
})();

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** A number as half-precision bits, rounded to nearest even (overflow → ±∞, NaN stays NaN). */
export function floatToHalf(value: number): number {
  scratch[0] = value;
  const word = scratchBits[0] as number;
  const sign = (word >>> 16) & 0x8000;
  const exponent = (word >>> 23) & 0xff;
  const mantissa = word & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 112; // rebias 127 → 15
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    return sign | roundShift(mantissa | 0x800000, 14 - halfExponent);
  }
  // A carry out of the mantissa rolls into the exponent (and up to ∞), which is the right result.
  return sign | roundShift((halfExponent << 23) | mantissa, 13);
}

function roundShift(value: number, shift: number): number {
  const half = 1 << (shift - 1);
  const remainder = value & ((1 << shift) - 1);
  const result = value >>> shift;
  return remainder > half || (remainder === half && (result & 1) === 1) ? result + 1 : result;
}

/**
 * Half bits of the float32 whose bit pattern is `word` (round to nearest even): an inline-friendly
 * fast path for the normal half range, the exact general conversion otherwise.
 */
export function halfOfFloatBits(word: number, value: number): number {
  const magnitude = word & 0x7fffffff;
  if (magnitude >= 0x38800000 && magnitude < 0x477ff000) {
    // Normal half range: add the rounding bias (half an ulp minus one, plus the kept lsb), shift, rebias.
    return (
      ((word >>> 16) & 0x8000) |
      ((((magnitude + 0x0fff + ((magnitude >>> 13) & 1)) >>> 13) - 0x1c000) & 0x7fff)
    );
  }
  return floatToHalf(value);
}

/** Views float16 tensor data (`Uint16Array` bits or a `Float16Array`) as bits, without copying. */
export function asHalfBits(data: ArrayBufferView): Uint16Array {
  if (data instanceof Uint16Array) return data;
  return new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
}

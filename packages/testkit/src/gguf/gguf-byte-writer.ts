import { type GgufScalarType, type GgufValue, ggufValueTypeCodes } from './gguf-value.js';

/** A growable little-endian byte buffer with the primitive encodings GGUF uses. */
export class GgufByteWriter {
  #bytes = new Uint8Array(4096);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;
  readonly #encoder = new TextEncoder();

  get length(): number {
    return this.#length;
  }

  /** The bytes written so far (a copy). */
  toBytes(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  uint32(value: number): void {
    this.#reserve(4).setUint32(this.#length - 4, value, true);
  }

  uint64(value: number | bigint): void {
    this.#reserve(8).setBigUint64(this.#length - 8, BigInt(value), true);
  }

  string(value: string): void {
    const bytes = this.#encoder.encode(value);
    this.uint64(bytes.length);
    this.bytes(bytes);
  }

  bytes(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#bytes.set(bytes, this.#length - bytes.length);
  }

  /** Zero bytes up to the next multiple of `alignment`. */
  padTo(alignment: number): void {
    const padding = (alignment - (this.#length % alignment)) % alignment;
    this.#reserve(padding);
  }

  /** A metadata value with its type code. */
  value(value: GgufValue): void {
    this.uint32(ggufValueTypeCodes[value.type]);
    if (value.type === 'array') {
      this.uint32(ggufValueTypeCodes[value.itemType]);
      this.uint64(value.values.length);
      if (value.itemType === 'string') for (const item of value.values) this.string(item);
      else {
        const { itemType, values } = value;
        for (let i = 0; i < values.length; i++) this.#scalar(itemType, values[i] as number);
      }
      return;
    }
    if (value.type === 'string') this.string(value.value);
    else if (value.type === 'bool') this.#scalar('uint8', value.value ? 1 : 0);
    else if (value.type === 'uint64' || value.type === 'int64') this.#bigScalar(value.type, value.value);
    else this.#scalar(value.type, value.value as number);
  }

  #scalar(type: Exclude<GgufScalarType, 'string' | 'bool' | 'uint64' | 'int64'>, value: number): void {
    const sizes = { uint8: 1, int8: 1, uint16: 2, int16: 2, uint32: 4, int32: 4, float32: 4, float64: 8 };
    const view = this.#reserve(sizes[type]);
    const at = this.#length - sizes[type];
    if (type === 'uint8') view.setUint8(at, value);
    else if (type === 'int8') view.setInt8(at, value);
    else if (type === 'uint16') view.setUint16(at, value, true);
    else if (type === 'int16') view.setInt16(at, value, true);
    else if (type === 'uint32') view.setUint32(at, value, true);
    else if (type === 'int32') view.setInt32(at, value, true);
    else if (type === 'float32') view.setFloat32(at, value, true);
    else view.setFloat64(at, value, true);
  }

  #bigScalar(type: 'uint64' | 'int64', value: bigint): void {
    const view = this.#reserve(8);
    if (type === 'uint64') view.setBigUint64(this.#length - 8, value, true);
    else view.setBigInt64(this.#length - 8, value, true);
  }

  /** Grows the buffer for `count` more bytes, advances the length, and returns the view. */
  #reserve(count: number): DataView {
    const needed = this.#length + count;
    if (needed > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(needed, this.#bytes.length * 2));
      grown.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = grown;
      this.#view = new DataView(grown.buffer);
    }
    this.#length = needed;
    return this.#view;
  }
}

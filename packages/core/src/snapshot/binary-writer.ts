/** Appends little-endian numbers and byte blocks to a growing buffer. */
export class BinaryWriter {
  #bytes = new Uint8Array(1024);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  uint8(value: number): void {
    this.#reserve(1);
    this.#view.setUint8(this.#length, value);
    this.#length += 1;
  }

  uint32(value: number): void {
    this.#reserve(4);
    this.#view.setUint32(this.#length, value, true);
    this.#length += 4;
  }

  int32(value: number): void {
    this.#reserve(4);
    this.#view.setInt32(this.#length, value, true);
    this.#length += 4;
  }

  float64(value: number): void {
    this.#reserve(8);
    this.#view.setFloat64(this.#length, value, true);
    this.#length += 8;
  }

  /** A non-negative safe integer as two u32 words, low word first (lengths beyond 4 GiB). */
  uint64(value: number): void {
    this.uint32(value % 2 ** 32);
    this.uint32(Math.floor(value / 2 ** 32));
  }

  /** u32 byte length, then the UTF-8 bytes. */
  string(text: string): void {
    const encoded = new TextEncoder().encode(text);
    this.uint32(encoded.length);
    this.bytes(encoded);
  }

  bytes(block: Uint8Array): void {
    this.#reserve(block.length);
    this.#bytes.set(block, this.#length);
    this.#length += block.length;
  }

  /** The written bytes (a view; copy before writing more). */
  result(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  #reserve(size: number): void {
    if (this.#length + size <= this.#bytes.length) return;
    let next = this.#bytes.length * 2;
    while (next < this.#length + size) next *= 2;
    const grown = new Uint8Array(next);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }
}

/** Reads what {@link BinaryWriter} wrote; `fail(reason)` is called (and must throw) on a short read. */
export class BinaryReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #fail: (reason: string) => never;
  #offset = 0;

  constructor(bytes: Uint8Array, fail: (reason: string) => never) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#fail = fail;
  }

  get offset(): number {
    return this.#offset;
  }

  uint8(): number {
    this.#need(1);
    return this.#view.getUint8(this.#offset++);
  }

  uint32(): number {
    this.#need(4);
    const value = this.#view.getUint32(this.#offset, true);
    this.#offset += 4;
    return value;
  }

  int32(): number {
    this.#need(4);
    const value = this.#view.getInt32(this.#offset, true);
    this.#offset += 4;
    return value;
  }

  float64(): number {
    this.#need(8);
    const value = this.#view.getFloat64(this.#offset, true);
    this.#offset += 8;
    return value;
  }

  /** What {@link BinaryWriter.uint64} wrote; fails beyond `Number.MAX_SAFE_INTEGER`. */
  uint64(): number {
    const low = this.uint32();
    const high = this.uint32();
    if (high >= 2 ** 21) this.#fail('it holds a length beyond any possible size');
    return high * 2 ** 32 + low;
  }

  /** What {@link BinaryWriter.string} wrote (invalid UTF-8 becomes U+FFFD). */
  string(): string {
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytes(this.uint32()));
  }

  bytes(length: number): Uint8Array {
    this.#need(length);
    const block = this.#bytes.slice(this.#offset, this.#offset + length);
    this.#offset += length;
    return block;
  }

  #need(size: number): void {
    if (this.#offset + size > this.#bytes.length) this.#fail('it ends early (truncated?)');
  }
}

/**
 * A minimal protocol-buffers encoder: just enough wire format (varints, length-delimited fields,
 * fixed 32-bit floats, packed repeated integers) to write ONNX `ModelProto` messages.
 */
export class ProtobufWriter {
  #chunks: Uint8Array[] = [];
  #buffer = new Uint8Array(4096);
  #used = 0;
  #total = 0;

  /** Field `field` as a varint (wire type 0): int32, int64, enum and bool fields. */
  integer(field: number, value: number | bigint): this {
    this.#tag(field, 0);
    this.#varint(value);
    return this;
  }

  /** Field `field` as a 32-bit float (wire type 5). */
  float(field: number, value: number): this {
    this.#tag(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.#bytes(bytes);
    return this;
  }

  /** Field `field` as UTF-8 text (wire type 2). */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** Field `field` as raw bytes (wire type 2). */
  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, 2);
    this.#varint(value.length);
    this.#bytes(value);
    return this;
  }

  /** Field `field` as an embedded message built by `build` (wire type 2). */
  message(field: number, build: (writer: ProtobufWriter) => void): this {
    const inner = new ProtobufWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** Repeated integers in packed form (wire type 2). */
  packedIntegers(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtobufWriter();
    for (const value of values) inner.#varint(value);
    return this.bytes(field, inner.finish());
  }

  /** Repeated floats in packed form (wire type 2). */
  packedFloats(field: number, values: readonly number[]): this {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((value, index) => {
      view.setFloat32(index * 4, value, true);
    });
    return this.bytes(field, bytes);
  }

  /** The encoded message. */
  finish(): Uint8Array {
    this.#flush();
    const out = new Uint8Array(this.#total);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  #tag(field: number, wireType: number): void {
    this.#varint(field * 8 + wireType);
  }

  #varint(value: number | bigint): void {
    // Negative int64 values take ten bytes (two's complement), as protobuf specifies.
    let remaining = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    do {
      let byte = Number(remaining & 0x7fn);
      remaining >>= 7n;
      if (remaining !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (remaining !== 0n);
    this.#bytes(Uint8Array.from(bytes));
  }

  #bytes(bytes: Uint8Array): void {
    if (bytes.length > 4096) {
      this.#flush();
      this.#chunks.push(bytes);
      this.#total += bytes.length;
      return;
    }
    if (this.#used + bytes.length > this.#buffer.length) this.#flush();
    this.#buffer.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  #flush(): void {
    if (this.#used === 0) return;
    this.#chunks.push(this.#buffer.slice(0, this.#used));
    this.#total += this.#used;
    this.#used = 0;
  }
}

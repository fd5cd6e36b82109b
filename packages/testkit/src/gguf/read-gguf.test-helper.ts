/** A minimal GGUF v3 reader for tests, written independently of the writer (scalars, strings, arrays). */
export interface ParsedGguf {
  readonly version: number;
  readonly metadata: Map<string, unknown>;
  readonly tensors: { name: string; dimensions: number[]; type: number; offset: number }[];
  readonly dataStart: number;
}

export function readGguf(bytes: Uint8Array): ParsedGguf {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  let at = 0;
  const u32 = () => {
    const value = view.getUint32(at, true);
    at += 4;
    return value;
  };
  const u64 = () => {
    const value = Number(view.getBigUint64(at, true));
    at += 8;
    return value;
  };
  const string = () => {
    const length = u64();
    const text = decoder.decode(bytes.subarray(at, at + length));
    at += length;
    return text;
  };
  const scalar = (type: number): unknown => {
    switch (type) {
      case 0:
        return view.getUint8(at++);
      case 1:
        return view.getInt8(at++);
      case 4:
        return u32();
      case 5: {
        const value = view.getInt32(at, true);
        at += 4;
        return value;
      }
      case 6: {
        const value = view.getFloat32(at, true);
        at += 4;
        return value;
      }
      case 7:
        return view.getUint8(at++) !== 0;
      case 8:
        return string();
      case 10:
        return u64();
      default:
        throw new Error(`unsupported GGUF type ${type} in the test reader`);
    }
  };
  const magic = decoder.decode(bytes.subarray(0, 4));
  if (magic !== 'GGUF') throw new Error(`bad magic ${magic}`);
  at = 4;
  const version = u32();
  const tensorCount = u64();
  const metadataCount = u64();
  const metadata = new Map<string, unknown>();
  for (let i = 0; i < metadataCount; i++) {
    const key = string();
    const type = u32();
    if (type === 9) {
      const itemType = u32();
      const count = u64();
      metadata.set(
        key,
        Array.from({ length: count }, () => scalar(itemType)),
      );
    } else {
      metadata.set(key, scalar(type));
    }
  }
  const tensors: ParsedGguf['tensors'] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = string();
    const dimensionCount = u32();
    const dimensions = Array.from({ length: dimensionCount }, () => u64());
    tensors.push({ name, dimensions, type: u32(), offset: u64() });
  }
  const alignment = Number(metadata.get('general.alignment') ?? 32);
  return { version, metadata, tensors, dataStart: Math.ceil(at / alignment) * alignment };
}

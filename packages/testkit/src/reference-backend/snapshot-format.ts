import { InvalidOptionError } from '@sirllm/core';
import { fnvHash } from '../tiny-llama/fnv-hash.js';

/** What a reference-backend snapshot holds. */
export interface SnapshotContents {
  readonly modelFingerprint: number;
  readonly layers: number;
  /** Numbers per slot and layer in the keys (and in the values). */
  readonly rowWidth: number;
  readonly vocabularySize: number;
  /** The resident tokens, in order. */
  readonly tokens: Int32Array;
  /** Per layer: keys (after RoPE) then values, `tokens.length × rowWidth` each. */
  readonly layerRows: readonly { readonly keys: Float64Array; readonly values: Float64Array }[];
  /** The logits after the last resident token, when they were current. */
  readonly pendingLogits?: Float64Array;
}

const magic = 'SIRLLMKV';
export const snapshotVersion = 1;
const headerBytes = 36;

/**
 * Binary layout, little-endian: magic `SIRLLMKV`, u32 version, u32 model fingerprint, u32 layers,
 * u32 row width, u32 vocabulary size, u32 length, u32 flags (bit 0: pending logits follow), i32 tokens,
 * per layer f64 keys then f64 values, optional f64 logits, u32 FNV-1a checksum of everything before it.
 */
export function encodeSnapshot(contents: SnapshotContents): Uint8Array {
  const length = contents.tokens.length;
  const rowNumbers = length * contents.rowWidth;
  const pending = contents.pendingLogits;
  const size =
    headerBytes + 4 * length + 16 * rowNumbers * contents.layers + (pending ? 8 * pending.length : 0) + 4;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < magic.length; i++) bytes[i] = magic.charCodeAt(i);
  const header = [
    snapshotVersion,
    contents.modelFingerprint,
    contents.layers,
    contents.rowWidth,
    contents.vocabularySize,
    length,
    pending ? 1 : 0,
  ];
  header.forEach((value, index) => {
    view.setUint32(8 + 4 * index, value, true);
  });
  let offset = headerBytes;
  for (const token of contents.tokens) {
    view.setInt32(offset, token, true);
    offset += 4;
  }
  const writeNumbers = (numbers: Float64Array, count: number) => {
    for (let i = 0; i < count; i++) {
      view.setFloat64(offset, numbers[i] as number, true);
      offset += 8;
    }
  };
  for (const { keys, values } of contents.layerRows) {
    writeNumbers(keys, rowNumbers);
    writeNumbers(values, rowNumbers);
  }
  if (pending) writeNumbers(pending, pending.length);
  view.setUint32(offset, fnvHash(bytes.subarray(0, offset)), true);
  return bytes;
}

/** Reads a snapshot; throws `InvalidOptionError` for truncated, corrupt, foreign or future-version data. */
export function decodeSnapshot(bytes: Uint8Array): SnapshotContents {
  const reject = (expected: string): never => {
    throw new InvalidOptionError({ option: 'snapshot', value: bytes, expected });
  };
  if (!(bytes instanceof Uint8Array)) reject('a Uint8Array');
  if (bytes.length < headerBytes + 4) reject('a reference-backend snapshot (too short)');
  for (let i = 0; i < magic.length; i++) {
    if (bytes[i] !== magic.charCodeAt(i)) reject('a reference-backend snapshot (bad magic)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = Array.from({ length: 7 }, (_, index) => view.getUint32(8 + 4 * index, true));
  const [version, modelFingerprint, layers, rowWidth, vocabularySize, length, flags] = header as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (version !== snapshotVersion) reject(`snapshot format version ${snapshotVersion} (got ${version})`);
  if (flags > 1) reject('known snapshot flags');
  const rowNumbers = length * rowWidth;
  const expectedSize =
    headerBytes + 4 * length + 16 * rowNumbers * layers + (flags ? 8 * vocabularySize : 0) + 4;
  if (bytes.length !== expectedSize) reject(`${expectedSize} bytes for its header (truncated or padded)`);
  const checksumOffset = bytes.length - 4;
  if (view.getUint32(checksumOffset, true) !== fnvHash(bytes.subarray(0, checksumOffset))) {
    reject('an intact snapshot (checksum mismatch)');
  }
  let offset = headerBytes;
  const tokens = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    tokens[i] = view.getInt32(offset, true);
    offset += 4;
  }
  const readNumbers = (count: number) => {
    const numbers = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      numbers[i] = view.getFloat64(offset, true);
      offset += 8;
    }
    return numbers;
  };
  const layerRows = Array.from({ length: layers }, () => ({
    keys: readNumbers(rowNumbers),
    values: readNumbers(rowNumbers),
  }));
  const pendingLogits = flags ? readNumbers(vocabularySize) : undefined;
  return {
    modelFingerprint,
    layers,
    rowWidth,
    vocabularySize,
    tokens,
    layerRows,
    ...(pendingLogits ? { pendingLogits } : {}),
  };
}

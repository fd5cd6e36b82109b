import { InvalidOptionError } from '@sirllm/core';
import type { CacheArray, CacheType } from './cache-array.js';
import { fnv1a } from './fnv-hash.js';
import { type CacheGeometry, KeyValueStore } from './key-value-store.js';

/** Everything a transformers.js sequence needs to continue exactly where it was. */
export interface SequenceState {
  readonly fingerprint: string;
  readonly vocabularySize: number;
  /** Resident token ids (`length` of them). */
  readonly tokens: Int32Array;
  /** The cache: `length` rows, or `length − 1` when the last token is still to be fed again. */
  readonly store: KeyValueStore;
  /** Logits after the last resident token, when the cache holds it. */
  readonly pendingLogits: Float32Array | undefined;
}

const magic = 'SIRLLM-TJS-KV';
export const snapshotFormatVersion = 1;

/**
 * Layout (little-endian): magic, format version, fingerprint (length-prefixed UTF-8), cache type,
 * layers, kv heads, head dim, vocabulary, length, cache rows, flags (1: pending logits, 2: original
 * keys); then tokens (int32), origins (int32), per layer keys / values (/ original keys), pending
 * logits (float32); then an FNV-1a
 * checksum of everything before it.
 */
export function encodeSequenceState(state: SequenceState): Uint8Array {
  const { store } = state;
  const { geometry } = store;
  const encoder = new TextEncoder();
  const fingerprint = encoder.encode(state.fingerprint);
  const parts: Uint8Array[] = [encoder.encode(magic)];
  const header = new DataView(new ArrayBuffer(4 * 9 + 1));
  const fields = [
    snapshotFormatVersion,
    fingerprint.length,
    geometry.type === 'float32' ? 1 : 2,
    geometry.layers,
    geometry.keyValueHeads,
    geometry.headDimension,
    state.vocabularySize,
    state.tokens.length,
    store.rows,
  ];
  fields.forEach((value, index) => {
    header.setUint32(index * 4, value, true);
  });
  header.setUint8(fields.length * 4, (state.pendingLogits ? 1 : 0) | (store.originalKeys ? 2 : 0));
  parts.push(new Uint8Array(header.buffer, 0, fields.length * 4 + 1), fingerprint);
  const bytesOf = (array: ArrayBufferView) =>
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  parts.push(bytesOf(state.tokens), bytesOf(store.origins));
  for (let layer = 0; layer < geometry.layers; layer++) {
    parts.push(bytesOf(store.keys[layer] as CacheArray), bytesOf(store.values[layer] as CacheArray));
    const originals = store.compactOriginalKeys(layer);
    if (originals) parts.push(bytesOf(originals));
  }
  if (state.pendingLogits) parts.push(bytesOf(state.pendingLogits));
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total + 4);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  new DataView(out.buffer).setUint32(total, fnv1a(out.subarray(0, total)), true);
  return out;
}

/**
 * Parses and checks snapshot bytes (magic, version, checksum, sizes) before anything is used; throws
 * `InvalidOptionError` (option `snapshot`) for truncated, altered or foreign data. The caller checks
 * the fingerprint, geometry and capacity against its model.
 */
export function decodeSequenceState(bytes: Uint8Array): SequenceState {
  const refuse = (expected: string) => new InvalidOptionError({ option: 'snapshot', value: bytes, expected });
  if (!(bytes instanceof Uint8Array)) throw refuse('a Uint8Array from TransformersSequence.snapshot()');
  const magicBytes = new TextEncoder().encode(magic);
  const headerEnd = magicBytes.length + 37;
  if (bytes.length < headerEnd + 4 || !magicBytes.every((byte, i) => bytes[i] === byte)) {
    throw refuse('bytes from TransformersSequence.snapshot() (the header is missing or foreign)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const checksum = view.getUint32(bytes.length - 4, true);
  if (fnv1a(bytes.subarray(0, bytes.length - 4)) !== checksum) {
    throw refuse('an intact snapshot (the checksum does not match: truncated or altered)');
  }
  const field = (index: number) => view.getUint32(magicBytes.length + index * 4, true);
  const version = field(0);
  if (version !== snapshotFormatVersion) {
    throw refuse(`snapshot format version ${snapshotFormatVersion} (got ${version}); take a new snapshot`);
  }
  const fingerprintLength = field(1);
  const typeCode = field(2);
  const type: CacheType | undefined = typeCode === 1 ? 'float32' : typeCode === 2 ? 'float16' : undefined;
  if (!type) throw refuse('a float32 or float16 cache');
  const geometry: CacheGeometry = {
    type,
    layers: field(3),
    keyValueHeads: field(4),
    headDimension: field(5),
  };
  const vocabularySize = field(6);
  const length = field(7);
  const rows = field(8);
  const flags = view.getUint8(magicBytes.length + 36);
  const hasPending = (flags & 1) === 1;
  const hasOriginals = (flags & 2) === 2;
  if (flags > 3) throw refuse('known snapshot flags');
  if (rows > length || rows + 1 < length || (hasPending && rows !== length)) {
    throw refuse('consistent token and cache row counts');
  }
  const elementBytes = type === 'float32' ? 4 : 2;
  const layerArray = geometry.keyValueHeads * rows * geometry.headDimension;
  const expected =
    headerEnd +
    fingerprintLength +
    4 * length +
    4 * rows +
    geometry.layers * (hasOriginals ? 3 : 2) * layerArray * elementBytes +
    (hasPending ? 4 * vocabularySize : 0) +
    4;
  if (bytes.length !== expected) throw refuse(`a snapshot of ${expected} bytes (got ${bytes.length})`);
  let offset = headerEnd;
  const take = (count: number) => {
    const slice = bytes.slice(offset, offset + count);
    offset += count;
    return slice;
  };
  const fingerprint = new TextDecoder().decode(take(fingerprintLength));
  const tokens = new Int32Array(take(4 * length).buffer);
  const origins = new Int32Array(take(4 * rows).buffer);
  const keys: CacheArray[] = [];
  const values: CacheArray[] = [];
  const originals: CacheArray[] | undefined = hasOriginals ? [] : undefined;
  for (let layer = 0; layer < geometry.layers; layer++) {
    for (const list of originals ? [keys, values, originals] : [keys, values]) {
      const raw = take(layerArray * elementBytes).buffer;
      list.push(type === 'float32' ? new Float32Array(raw) : new Uint16Array(raw));
    }
  }
  const pendingLogits = hasPending ? new Float32Array(take(4 * vocabularySize).buffer) : undefined;
  return {
    fingerprint,
    vocabularySize,
    tokens,
    store: new KeyValueStore(geometry, rows, keys, values, originals, origins),
    pendingLogits,
  };
}

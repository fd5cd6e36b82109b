import { decodeSnapshotEnvelope, encodeSnapshotEnvelope } from '@sirllm/core';
import type { CacheArray, CacheType } from './cache-array.js';
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

/** The version of this package's payload layout (the envelope has its own). */
export const snapshotFormatVersion = 1;
const headerBytes = 4 * 7 + 1;

/**
 * The shared snapshot envelope (kind `transformers-sequence`, the model's fingerprint, the checksum)
 * around this payload (little-endian): cache type, layers, kv heads, head dim, vocabulary, length,
 * cache rows (u32 each), flags (u8; 1: pending logits, 2: original keys); then tokens (int32), origins
 * (int32), per layer keys / values (/ original keys), pending logits (float32).
 */
export function encodeSequenceState(state: SequenceState): Uint8Array {
  const { store } = state;
  const { geometry } = store;
  const header = new DataView(new ArrayBuffer(headerBytes));
  const fields = [
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
  const parts: Uint8Array[] = [new Uint8Array(header.buffer)];
  const bytesOf = (array: ArrayBufferView) =>
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  parts.push(bytesOf(state.tokens), bytesOf(store.origins));
  for (let layer = 0; layer < geometry.layers; layer++) {
    parts.push(bytesOf(store.keys[layer] as CacheArray), bytesOf(store.values[layer] as CacheArray));
    const originals = store.compactOriginalKeys(layer);
    if (originals) parts.push(bytesOf(originals));
  }
  if (state.pendingLogits) parts.push(bytesOf(state.pendingLogits));
  return encodeSnapshotEnvelope(
    { kind: 'transformers-sequence', fingerprint: state.fingerprint, payloadVersion: snapshotFormatVersion },
    parts,
  );
}

/**
 * Parses and checks snapshot bytes (the envelope: header, version, checksum, kind; then the payload's
 * sizes) before anything is used; throws `InvalidOptionError` (option `snapshot`) for truncated,
 * altered, foreign, older or newer data. The caller checks the fingerprint, geometry and capacity
 * against its model.
 */
export function decodeSequenceState(bytes: Uint8Array): SequenceState {
  const { fingerprint, payload, refuse } = decodeSnapshotEnvelope(bytes, {
    kind: 'transformers-sequence',
    payloadVersion: snapshotFormatVersion,
  });
  if (payload.length < headerBytes) refuse('its payload ends early');
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const field = (index: number) => view.getUint32(index * 4, true);
  const typeCode = field(0);
  const type: CacheType | undefined = typeCode === 1 ? 'float32' : typeCode === 2 ? 'float16' : undefined;
  if (!type) return refuse('its cache is neither float32 nor float16');
  const geometry: CacheGeometry = {
    type,
    layers: field(1),
    keyValueHeads: field(2),
    headDimension: field(3),
  };
  const vocabularySize = field(4);
  const length = field(5);
  const rows = field(6);
  const flags = view.getUint8(headerBytes - 1);
  const hasPending = (flags & 1) === 1;
  const hasOriginals = (flags & 2) === 2;
  if (flags > 3) refuse('it has unknown flags');
  if (rows > length || rows + 1 < length || (hasPending && rows !== length)) {
    refuse('its token and cache row counts are inconsistent');
  }
  const elementBytes = type === 'float32' ? 4 : 2;
  const layerArray = geometry.keyValueHeads * rows * geometry.headDimension;
  const expected =
    headerBytes +
    4 * length +
    4 * rows +
    geometry.layers * (hasOriginals ? 3 : 2) * layerArray * elementBytes +
    (hasPending ? 4 * vocabularySize : 0);
  if (payload.length !== expected) {
    refuse(`its payload has ${payload.length} bytes where its header needs ${expected}`);
  }
  let offset = headerBytes;
  const take = (count: number) => {
    const slice = payload.slice(offset, offset + count);
    offset += count;
    return slice;
  };
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

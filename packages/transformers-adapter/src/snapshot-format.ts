import { CapacityExceededError, decodeSnapshotEnvelope, encodeSnapshotEnvelope } from '@sirllm/core';
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

/** What the restoring backend expects of a snapshot: its model and the new sequence's capacity. */
export interface SnapshotExpectations {
  /** The loaded model's `ModelInfo.fingerprint`. */
  readonly fingerprint: string;
  /** The loaded model's cache type and shape. */
  readonly geometry: CacheGeometry;
  readonly vocabularySize: number;
  /** Whether this backend keeps original keys (its `rotateFromOriginalKeys` setting). */
  readonly originalKeys: boolean;
  /** The capacity of the sequence being restored (more resident tokens throw `CapacityExceededError`). */
  readonly capacity: number;
}

/**
 * Origins are row indices of the sequence that wrote them, so below its capacity, which no backend
 * allows above 2³⁰ (`maximumCapacity`); a row never moves past the position its key was produced at.
 */
const originLimit = 2 ** 30;

/**
 * Parses and checks snapshot bytes before anything is used: the envelope (header, checksum, version,
 * kind, model fingerprint), then the payload header against the loaded model (cache type and shape,
 * vocabulary, original keys, capacity) before anything is allocated, then the payload's sizes and
 * origins. Throws `InvalidOptionError` (option `snapshot`) for truncated, altered, foreign, other-model,
 * older or newer data, and `CapacityExceededError` for more tokens than `expected.capacity`.
 */
export function decodeSequenceState(bytes: Uint8Array, expected: SnapshotExpectations): SequenceState {
  const { fingerprint, payload, refuse } = decodeSnapshotEnvelope(bytes, {
    kind: 'transformers-sequence',
    payloadVersion: snapshotFormatVersion,
    fingerprint: expected.fingerprint,
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
  const model = expected.geometry;
  if (
    geometry.type !== model.type ||
    geometry.layers !== model.layers ||
    geometry.keyValueHeads !== model.keyValueHeads ||
    geometry.headDimension !== model.headDimension ||
    vocabularySize !== expected.vocabularySize
  ) {
    const describe = (of: CacheGeometry, vocabulary: number) =>
      `a ${of.type} cache of ${of.layers} layers × ${of.keyValueHeads} heads × ${of.headDimension} and a vocabulary of ${vocabulary}`;
    refuse(
      `it holds ${describe(geometry, vocabularySize)}, where this model has ${describe(model, expected.vocabularySize)}`,
    );
  }
  if (hasOriginals !== expected.originalKeys) {
    refuse(
      `it was taken ${hasOriginals ? 'with' : 'without'} original keys and this backend keeps ${expected.originalKeys ? 'them' : 'none'}: restore it with the same rotateFromOriginalKeys setting`,
    );
  }
  if (length > expected.capacity) {
    throw new CapacityExceededError({
      capacity: expected.capacity,
      requested: length,
      hint: 'Restore into a sequence with a larger capacity.',
    });
  }
  // The cache holds every token, or all but the last (to be fed again); the logits after the last
  // token are there exactly when the cache holds it (the next append scores its first token by them).
  if (rows > length || rows + 1 < length || hasPending !== (rows === length && length > 0)) {
    refuse('its token and cache row counts are inconsistent');
  }
  const elementBytes = type === 'float32' ? 4 : 2;
  const layerArray = geometry.keyValueHeads * rows * geometry.headDimension;
  const expectedSize =
    headerBytes +
    4 * length +
    4 * rows +
    geometry.layers * (hasOriginals ? 3 : 2) * layerArray * elementBytes +
    (hasPending ? 4 * vocabularySize : 0);
  if (payload.length !== expectedSize) {
    refuse(`its payload has ${payload.length} bytes where its header needs ${expectedSize}`);
  }
  let offset = headerBytes;
  const take = (count: number) => {
    const slice = payload.slice(offset, offset + count);
    offset += count;
    return slice;
  };
  const tokens = new Int32Array(take(4 * length).buffer);
  const origins = new Int32Array(take(4 * rows).buffer);
  for (let row = 0; row < rows; row++) {
    const origin = origins[row] as number;
    if (origin < row || origin >= originLimit) {
      refuse(`row ${row} has origin ${origin}, outside [${row}, ${originLimit})`);
    }
  }
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

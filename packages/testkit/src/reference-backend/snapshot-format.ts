import { CapacityExceededError, decodeSnapshotEnvelope, encodeSnapshotEnvelope } from '@sirllm/core';
import { modelFingerprintText } from '../tiny-llama/model-fingerprint.js';

/** What a reference-backend snapshot holds. */
export interface SnapshotContents {
  /** `modelFingerprint(model)`; the envelope records it as the backend's `ModelInfo.fingerprint`. */
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

/** The version of this payload layout (the envelope has its own). */
export const snapshotVersion = 1;
const headerBytes = 20;

/**
 * The shared snapshot envelope (kind `reference-sequence`, the model's fingerprint, the checksum) around
 * this payload, little-endian: u32 layers, u32 row width, u32 vocabulary size, u32 length, u32 flags
 * (bit 0: pending logits follow), i32 tokens, per layer f64 keys then f64 values, optional f64 logits.
 */
export function encodeSnapshot(contents: SnapshotContents): Uint8Array {
  const length = contents.tokens.length;
  const rowNumbers = length * contents.rowWidth;
  const pending = contents.pendingLogits;
  const size =
    headerBytes + 4 * length + 16 * rowNumbers * contents.layers + (pending ? 8 * pending.length : 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const header = [contents.layers, contents.rowWidth, contents.vocabularySize, length, pending ? 1 : 0];
  header.forEach((value, index) => {
    view.setUint32(4 * index, value, true);
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
  return encodeSnapshotEnvelope(
    {
      kind: 'reference-sequence',
      fingerprint: modelFingerprintText(contents.modelFingerprint),
      payloadVersion: snapshotVersion,
    },
    bytes,
  );
}

/** What the restoring backend expects of a snapshot: its model and the new sequence's capacity. */
export interface SnapshotExpectations {
  readonly modelFingerprint: number;
  readonly layers: number;
  readonly rowWidth: number;
  readonly vocabularySize: number;
  /** The capacity of the sequence being restored (more resident tokens throw `CapacityExceededError`). */
  readonly capacity: number;
}

/**
 * Reads a snapshot of the model `expected` describes; throws `InvalidOptionError` for truncated,
 * corrupt, foreign-kind, other-model, other-geometry, older or newer data, and `CapacityExceededError`
 * for more tokens than `expected.capacity`. The header is checked against the model before anything is
 * allocated, so a forged header cannot make it allocate more than the snapshot's own size.
 */
export function decodeSnapshot(bytes: Uint8Array, expected: SnapshotExpectations): SnapshotContents {
  const { payload, refuse } = decodeSnapshotEnvelope(bytes, {
    kind: 'reference-sequence',
    payloadVersion: snapshotVersion,
    fingerprint: modelFingerprintText(expected.modelFingerprint),
  });
  if (payload.length < headerBytes) refuse('its payload ends early');
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const header = Array.from({ length: 5 }, (_, index) => view.getUint32(4 * index, true));
  const [layers, rowWidth, vocabularySize, length, flags] = header as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (flags > 1) refuse('it has unknown flags');
  if (
    layers !== expected.layers ||
    rowWidth !== expected.rowWidth ||
    vocabularySize !== expected.vocabularySize
  ) {
    refuse(
      `its header describes ${layers} layers × ${rowWidth} numbers per slot and a vocabulary of ${vocabularySize}, where this model has ${expected.layers} × ${expected.rowWidth} and ${expected.vocabularySize}`,
    );
  }
  if (length > expected.capacity) {
    throw new CapacityExceededError({
      capacity: expected.capacity,
      requested: length,
      hint: 'Restore into a sequence with a larger capacity.',
    });
  }
  const rowNumbers = length * rowWidth;
  const expectedSize = headerBytes + 4 * length + 16 * rowNumbers * layers + (flags ? 8 * vocabularySize : 0);
  if (payload.length !== expectedSize) {
    refuse(`its payload has ${payload.length} bytes where its header needs ${expectedSize}`);
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
    modelFingerprint: expected.modelFingerprint,
    layers,
    rowWidth,
    vocabularySize,
    tokens,
    layerRows,
    ...(pendingLogits ? { pendingLogits } : {}),
  };
}

/**
 * Cosine and sine tables for moving keys by one position delta, one entry per rotated pair.
 * Compute once per distinct delta and reuse across layers and heads.
 */
export interface RotationTable {
  /** Cosine of each rotated pair's angle. */
  readonly cos: Float64Array;
  /** Sine of each rotated pair's angle. */
  readonly sin: Float64Array;
}

/**
 * The rotation table that moves keys by `positionDelta` positions, given the model's inverse frequencies
 * (one per rotated pair).
 */
export function rotationTable(inverseFrequencies: Float64Array, positionDelta: number): RotationTable {
  const cos = new Float64Array(inverseFrequencies.length);
  const sin = new Float64Array(inverseFrequencies.length);
  for (let i = 0; i < inverseFrequencies.length; i++) {
    const angle = positionDelta * (inverseFrequencies[i] as number);
    cos[i] = Math.cos(angle);
    sin[i] = Math.sin(angle);
  }
  return { cos, sin };
}

/**
 * Rotates one key row in place by a rotation table, rotate-half convention (Llama / Hugging Face):
 * pair i is (row[offset + i], row[offset + i + half]) with half = table.cos.length; dimensions beyond
 * 2·half (partial rotary) are left untouched. A key cached after RoPE at position p becomes the key at
 * position p + delta, because rotations of one frequency compose by adding angles.
 */
export function rotateKeyRow(row: Float32Array | Float64Array, offset: number, table: RotationTable): void {
  const { cos, sin } = table;
  const half = cos.length;
  for (let i = 0; i < half; i++) {
    const first = row[offset + i] as number;
    const second = row[offset + i + half] as number;
    const c = cos[i] as number;
    const s = sin[i] as number;
    row[offset + i] = first * c - second * s;
    row[offset + i + half] = second * c + first * s;
  }
}

/**
 * Rotates `count` consecutive key rows of size `headDimension`, starting at `offset`, by one table
 * (all rows moving by the same delta, e.g. every head of one token).
 */
export function rotateKeyRows(
  keys: Float32Array | Float64Array,
  offset: number,
  count: number,
  headDimension: number,
  table: RotationTable,
): void {
  for (let row = 0; row < count; row++) rotateKeyRow(keys, offset + row * headDimension, table);
}

import { type RotationTable, rotateKeyRow } from '@sirllm/core';

/** One layer's cached keys (after RoPE) and values, one row of `keyValueHeads × headDimension` per slot. */
export interface LayerCache {
  readonly keys: Float64Array;
  readonly values: Float64Array;
}

/** The KV cache of one sequence: every layer's rows for `capacity` slots, in float64. */
export class KeyValueCache {
  readonly layers: readonly LayerCache[];
  /** Numbers in one slot's row: `keyValueHeads × headDimension`. */
  readonly rowWidth: number;

  constructor(
    layerCount: number,
    readonly capacity: number,
    readonly keyValueHeads: number,
    readonly headDimension: number,
  ) {
    this.rowWidth = keyValueHeads * headDimension;
    const layers: LayerCache[] = [];
    for (let layer = 0; layer < layerCount; layer++) {
      layers.push({
        keys: new Float64Array(capacity * this.rowWidth),
        values: new Float64Array(capacity * this.rowWidth),
      });
    }
    this.layers = layers;
  }

  /**
   * Moves slot `from` to slot `to` in every layer, rotating each key head by `shiftOf(layer)` (the
   * rotation from → to with that layer's RoPE settings).
   */
  moveSlot(from: number, to: number, shiftOf: (layer: number) => RotationTable): void {
    const width = this.rowWidth;
    this.layers.forEach(({ keys, values }, layer) => {
      const shift = shiftOf(layer);
      keys.copyWithin(to * width, from * width, (from + 1) * width);
      values.copyWithin(to * width, from * width, (from + 1) * width);
      for (let head = 0; head < this.keyValueHeads; head++) {
        rotateKeyRow(keys, to * width + head * this.headDimension, shift);
      }
    });
  }

  /** A copy of one slot in every layer (keys then values per layer), to undo an overwrite. */
  copySlot(slot: number): Float64Array {
    const width = this.rowWidth;
    const copy = new Float64Array(this.layers.length * 2 * width);
    this.layers.forEach(({ keys, values }, layer) => {
      copy.set(keys.subarray(slot * width, (slot + 1) * width), layer * 2 * width);
      copy.set(values.subarray(slot * width, (slot + 1) * width), (layer * 2 + 1) * width);
    });
    return copy;
  }

  /** Writes back a {@link copySlot} result. */
  restoreSlot(slot: number, copy: Float64Array): void {
    const width = this.rowWidth;
    this.layers.forEach(({ keys, values }, layer) => {
      keys.set(copy.subarray(layer * 2 * width, (layer * 2 + 1) * width), slot * width);
      values.set(copy.subarray((layer * 2 + 1) * width, (layer * 2 + 2) * width), slot * width);
    });
  }
}

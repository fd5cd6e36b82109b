import { type RopeSettings, type RotationTable, ropeInverseFrequencies, rotationTable } from '@sirllm/core';

const cachedTableLimit = 16384;

/**
 * Cached rotation tables of one model: `position(p)` rotates a fresh query or key to position p (with
 * YaRN's magnitude factor folded in, as Hugging Face applies it to cos and sin), `shift(delta)` moves a
 * cached key by `delta` positions (a pure rotation: the magnitude is already in the cached key).
 * Throws `PositionShiftUnsupportedError` for dynamic or unknown scaling.
 */
export class RotaryTables {
  readonly inverseFrequencies: Float64Array;
  /** YaRN's attention factor (0.1·ln(factor) + 1); 1 for every other scheme. */
  readonly magnitude: number;
  readonly #positions = new Map<number, RotationTable>();
  readonly #shifts = new Map<number, RotationTable>();

  constructor(settings: RopeSettings) {
    this.inverseFrequencies = ropeInverseFrequencies(settings);
    const scaling = settings.scaling;
    this.magnitude = scaling?.type === 'yarn' && scaling.factor > 1 ? 0.1 * Math.log(scaling.factor) + 1 : 1;
  }

  position(position: number): RotationTable {
    let table = this.#positions.get(position);
    if (!table) {
      const { cos, sin } = rotationTable(this.inverseFrequencies, position);
      if (this.magnitude !== 1) {
        for (let i = 0; i < cos.length; i++) {
          cos[i] = (cos[i] as number) * this.magnitude;
          sin[i] = (sin[i] as number) * this.magnitude;
        }
      }
      table = { cos, sin };
      if (this.#positions.size < cachedTableLimit) this.#positions.set(position, table);
    }
    return table;
  }

  shift(delta: number): RotationTable {
    let table = this.#shifts.get(delta);
    if (!table) {
      table = rotationTable(this.inverseFrequencies, delta);
      if (this.#shifts.size < cachedTableLimit) this.#shifts.set(delta, table);
    }
    return table;
  }
}

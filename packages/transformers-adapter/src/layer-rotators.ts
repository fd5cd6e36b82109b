import type { RopeSettings } from '@sirllm/core';
import { KeyRotator } from './key-rotator.js';

/**
 * The {@link KeyRotator} of every layer: each layer's cached keys are re-rotated with that layer's own
 * RoPE settings (Gemma 3: the sliding layers' local base, the others' global base and scaling).
 * Layers with equal settings share one rotator, so its per-delta tables serve all of them.
 */
export class LayerRotators {
  readonly #byLayer: readonly KeyRotator[];
  /** The distinct rotators, in order of first use. */
  readonly distinct: readonly KeyRotator[];

  /**
   * `layers[l]` are the settings of layer l (see `PositionScheme`). Throws
   * `PositionShiftUnsupportedError` for dynamic or unknown scaling (from core).
   */
  constructor(layers: readonly RopeSettings[]) {
    const shared = new Map<string, KeyRotator>();
    this.#byLayer = layers.map((settings) => {
      const key = JSON.stringify(settings);
      let rotator = shared.get(key);
      if (!rotator) {
        rotator = new KeyRotator(settings);
        shared.set(key, rotator);
      }
      return rotator;
    });
    this.distinct = [...shared.values()];
  }

  /** The rotator of layer `layer`. */
  of(layer: number): KeyRotator {
    const rotator = this.#byLayer[layer];
    if (!rotator) throw new RangeError(`no RoPE settings for layer ${layer}`);
    return rotator;
  }
}

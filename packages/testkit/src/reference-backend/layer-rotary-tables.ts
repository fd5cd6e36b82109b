import type { RopeSettings } from '@sirllm/core';
import { isSlidingLayer } from '../families/architecture-features.js';
import type { TinyLlamaConfig } from '../tiny-llama/tiny-llama-model.js';
import { RotaryTables } from './rotary-tables.js';

/**
 * The RoPE settings of layer `layer`: the model's own, except on a sliding-window layer (Gemma 3), which
 * uses the local base and no scaling.
 */
export function layerRopeSettings(config: TinyLlamaConfig, layer: number): RopeSettings {
  const sliding = config.architecture.slidingWindow;
  if (sliding === undefined || !isSlidingLayer(config.architecture, layer)) return config.rope;
  const { scaling: _globalScaling, ...unscaled } = config.rope;
  return { ...unscaled, theta: sliding.localTheta };
}

/** One {@link RotaryTables} per layer; layers with the same settings share one instance. */
export function layerRotaryTables(config: TinyLlamaConfig): RotaryTables[] {
  const global = new RotaryTables(config.rope);
  let local: RotaryTables | undefined;
  return Array.from({ length: config.layers }, (_, layer) => {
    if (!isSlidingLayer(config.architecture, layer)) return global;
    local ??= new RotaryTables(layerRopeSettings(config, layer));
    return local;
  });
}

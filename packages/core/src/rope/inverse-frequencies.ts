import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { PositionShiftUnsupportedError } from '../errors/position-shift-unsupported-error.js';
import type { RopeSettings } from './rope-settings.js';

/**
 * The model's rotary inverse frequencies θ_i (one per rotated pair, `rotaryDimensions / 2` of them),
 * with the scaling folded in, following Hugging Face's `ROPE_INIT_FUNCTIONS`. A key at position p is
 * rotated by angle p·θ_i in pair i. YaRN's attention (magnitude) factor is deliberately not part of this:
 * moving a key only needs the rotation. Dynamic NTK and unknown schemes throw
 * {@link PositionShiftUnsupportedError}: their frequencies depend on the sequence length.
 */
export function ropeInverseFrequencies(settings: RopeSettings): Float64Array {
  const dimensions = rotaryDimensionsOf(settings);
  const { theta } = settings;
  if (!(theta > 1) || !Number.isFinite(theta)) {
    throw new InvalidOptionError({ option: 'rope.theta', value: theta, expected: 'a finite number > 1' });
  }
  const half = dimensions / 2;
  const base = new Float64Array(half);
  for (let i = 0; i < half; i++) base[i] = 1 / theta ** ((2 * i) / dimensions);

  const scaling = settings.scaling ?? { type: 'none' };
  switch (scaling.type) {
    case 'none':
      return base;
    case 'linear':
      requireFactor(scaling.factor);
      return base.map((frequency) => frequency / scaling.factor);
    case 'llama3':
      return llama3Frequencies(base, scaling);
    case 'yarn':
      return yarnFrequencies(base, theta, dimensions, scaling);
    case 'dynamic':
      throw new PositionShiftUnsupportedError({ scheme: 'dynamic NTK RoPE scaling' });
    case 'other':
      throw new PositionShiftUnsupportedError({ scheme: scaling.name });
    default:
      throw new PositionShiftUnsupportedError({ scheme: String((scaling as { type?: unknown }).type) });
  }
}

function requirePositive(option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidOptionError({ option, value, expected: 'a finite number > 0' });
  }
  return value;
}

/** Rotated dimensions per head: `rotaryDimensions`, defaulting to the head size; must be even. */
export function rotaryDimensionsOf(settings: RopeSettings): number {
  const dimensions = settings.rotaryDimensions ?? settings.headDimension;
  if (
    !Number.isInteger(dimensions) ||
    dimensions < 2 ||
    dimensions % 2 !== 0 ||
    dimensions > settings.headDimension
  ) {
    throw new InvalidOptionError({
      option: 'rope.rotaryDimensions',
      value: dimensions,
      expected: `an even integer in [2, headDimension = ${settings.headDimension}]`,
    });
  }
  return dimensions;
}

function requireFactor(factor: number): void {
  if (!(factor >= 1) || !Number.isFinite(factor)) {
    throw new InvalidOptionError({
      option: 'rope.scaling.factor',
      value: factor,
      expected: 'a finite number ≥ 1',
    });
  }
}

function llama3Frequencies(
  base: Float64Array,
  scaling: Extract<RopeSettings['scaling'], { type: 'llama3' }>,
): Float64Array {
  const { factor } = scaling;
  requireFactor(factor);
  const lowFrequencyFactor = requirePositive('rope.scaling.lowFrequencyFactor', scaling.lowFrequencyFactor);
  const highFrequencyFactor = requirePositive(
    'rope.scaling.highFrequencyFactor',
    scaling.highFrequencyFactor,
  );
  const originalMaxPositionEmbeddings = requirePositive(
    'rope.scaling.originalMaxPositionEmbeddings',
    scaling.originalMaxPositionEmbeddings,
  );
  if (!(highFrequencyFactor > lowFrequencyFactor)) {
    throw new InvalidOptionError({
      option: 'rope.scaling.highFrequencyFactor',
      value: highFrequencyFactor,
      expected: `a number above lowFrequencyFactor (${lowFrequencyFactor})`,
    });
  }
  const lowFrequencyWavelength = originalMaxPositionEmbeddings / lowFrequencyFactor;
  const highFrequencyWavelength = originalMaxPositionEmbeddings / highFrequencyFactor;
  return base.map((frequency) => {
    const wavelength = (2 * Math.PI) / frequency;
    if (wavelength < highFrequencyWavelength) return frequency;
    if (wavelength > lowFrequencyWavelength) return frequency / factor;
    const smooth =
      (originalMaxPositionEmbeddings / wavelength - lowFrequencyFactor) /
      (highFrequencyFactor - lowFrequencyFactor);
    return (1 - smooth) * (frequency / factor) + smooth * frequency;
  });
}

function yarnFrequencies(
  base: Float64Array,
  theta: number,
  dimensions: number,
  scaling: Extract<RopeSettings['scaling'], { type: 'yarn' }>,
): Float64Array {
  const { factor } = scaling;
  requireFactor(factor);
  const originalMaxPositionEmbeddings = requirePositive(
    'rope.scaling.originalMaxPositionEmbeddings',
    scaling.originalMaxPositionEmbeddings,
  );
  const betaFast = requirePositive('rope.scaling.betaFast', scaling.betaFast ?? 32);
  const betaSlow = requirePositive('rope.scaling.betaSlow', scaling.betaSlow ?? 1);
  const correctionDimension = (rotations: number) =>
    (dimensions * Math.log(originalMaxPositionEmbeddings / (rotations * 2 * Math.PI))) /
    (2 * Math.log(theta));
  const low = Math.max(Math.floor(correctionDimension(betaFast)), 0);
  let high = Math.min(Math.ceil(correctionDimension(betaSlow)), dimensions - 1);
  if (high === low) high += 0.001;
  return base.map((frequency, i) => {
    const ramp = Math.min(Math.max((i - low) / (high - low), 0), 1);
    const extrapolation = 1 - ramp;
    return (frequency / factor) * (1 - extrapolation) + frequency * extrapolation;
  });
}

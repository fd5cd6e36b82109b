/**
 * Rotary position embedding settings of a model, in the vocabulary of Hugging Face `config.json`
 * (`rope_theta`, `partial_rotary_factor`, `rope_scaling`).
 */
export interface RopeSettings {
  /** Base of the frequencies (`rope_theta`), e.g. 10000 or 500000. */
  readonly theta: number;
  /** Size of one attention head. */
  readonly headDimension: number;
  /**
   * How many leading dimensions of each head are rotated (even, ≤ headDimension);
   * `headDimension × partial_rotary_factor`. Defaults to the whole head.
   */
  readonly rotaryDimensions?: number;
  /** How the model scales its positions (`rope_scaling`); none when absent. */
  readonly scaling?: RopeScaling;
}

/**
 * A model's RoPE scaling (`rope_scaling` of `config.json`), one variant per scheme; `dynamic` and `other`
 * cannot be shifted and are refused.
 */
export type RopeScaling =
  | {
      /** No scaling. */
      readonly type: 'none';
    }
  | {
      /** Positions divided by `factor` (position interpolation). */
      readonly type: 'linear';
      /** The divisor of every position. */
      readonly factor: number;
    }
  | {
      /** Llama 3's frequency-dependent scaling. */
      readonly type: 'llama3';
      /** The divisor of the low frequencies. */
      readonly factor: number;
      /**
       * Frequencies with a wavelength above `originalMaxPositionEmbeddings / lowFrequencyFactor` are divided
       * by `factor`.
       */
      readonly lowFrequencyFactor: number;
      /**
       * Frequencies with a wavelength below `originalMaxPositionEmbeddings / highFrequencyFactor` are kept;
       * those between the two bounds are blended.
       */
      readonly highFrequencyFactor: number;
      /** The context length the model was first trained for. */
      readonly originalMaxPositionEmbeddings: number;
    }
  | {
      /** YaRN scaling (NTK-by-parts interpolation). */
      readonly type: 'yarn';
      /** The context extension factor. */
      readonly factor: number;
      /** The context length the model was first trained for. */
      readonly originalMaxPositionEmbeddings: number;
      /** Defaults to 32. */
      readonly betaFast?: number;
      /** Defaults to 1. */
      readonly betaSlow?: number;
    }
  /** Position-dependent frequencies: keys cannot be moved by a fixed rotation. Always refused. */
  | {
      /** Dynamic NTK scaling. */
      readonly type: 'dynamic';
      /** The scaling factor. */
      readonly factor: number;
    }
  /** Any other scheme a backend found (`longrope`, `mrope`, …). Always refused. */
  | {
      /** A scheme this library does not model. */
      readonly type: 'other';
      /** The scheme's name as the model's files give it. */
      readonly name: string;
    };

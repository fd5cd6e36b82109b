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
  readonly scaling?: RopeScaling;
}

export type RopeScaling =
  | { readonly type: 'none' }
  | { readonly type: 'linear'; readonly factor: number }
  | {
      readonly type: 'llama3';
      readonly factor: number;
      readonly lowFrequencyFactor: number;
      readonly highFrequencyFactor: number;
      readonly originalMaxPositionEmbeddings: number;
    }
  | {
      readonly type: 'yarn';
      readonly factor: number;
      readonly originalMaxPositionEmbeddings: number;
      /** Defaults to 32. */
      readonly betaFast?: number;
      /** Defaults to 1. */
      readonly betaSlow?: number;
    }
  /** Position-dependent frequencies: keys cannot be moved by a fixed rotation. Always refused. */
  | { readonly type: 'dynamic'; readonly factor: number }
  /** Any other scheme a backend found (`longrope`, `mrope`, …). Always refused. */
  | { readonly type: 'other'; readonly name: string };

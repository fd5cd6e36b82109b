import { hasMarker, SirLLMError } from './sirllm-error.js';

const marker = 'sirllm.error.position-shift-unsupported';
const symbol = Symbol.for(marker);

/**
 * The model's position scheme does not allow moving cached keys to new positions (dynamic NTK,
 * M-RoPE, MLA, sliding-window or recurrent models), so evicting tokens would corrupt the cache.
 */
export class PositionShiftUnsupportedError extends SirLLMError {
  /** The global marker `isInstance` looks for (a `Symbol.for` key: it survives duplicate installs). */
  protected readonly [symbol] = true;
  /** The position scheme that was refused, as the backend names it (e.g. `mrope`). */
  readonly scheme: string;

  /**
   * `advice` replaces the closing suggestion (use a model with plain, linear, llama3 or YaRN RoPE) when
   * the backend knows better, e.g. why its runtime cannot move these keys and which backend can.
   */
  constructor({ scheme, model, advice }: { scheme: string; model?: string; advice?: string }) {
    super(
      `${model ? `Model "${model}" uses` : 'This model uses'} the position scheme "${scheme}", whose cached keys ` +
        'cannot be moved to new positions, so tokens cannot be evicted from its cache. ' +
        (advice ?? 'Use a model with plain, linear, llama3 or YaRN RoPE scaling.'),
    );
    this.name = 'PositionShiftUnsupportedError';
    this.scheme = scheme;
  }

  /** True when `error` is a `PositionShiftUnsupportedError`, even one from another copy of the library. */
  static override isInstance(error: unknown): error is PositionShiftUnsupportedError {
    return hasMarker(error, marker);
  }
}

import { hasMarker, SirLLMError } from './sirllm-error.js';

const marker = 'sirllm.error.disposed';
const symbol = Symbol.for(marker);

/** A session, sequence or backend was used after `dispose()`. */
export class DisposedError extends SirLLMError {
  /** The global marker `isInstance` looks for (a `Symbol.for` key: it survives duplicate installs). */
  protected readonly [symbol] = true;
  /** What was used after disposal, e.g. `memory session`, `sequence` or `llama.cpp backend`. */
  readonly resource: string;

  constructor({ resource }: { resource: string }) {
    super(`This ${resource} has been disposed; create a new one.`);
    this.name = 'DisposedError';
    this.resource = resource;
  }

  /** True when `error` is a `DisposedError`, even one thrown by another copy of the library. */
  static override isInstance(error: unknown): error is DisposedError {
    return hasMarker(error, marker);
  }
}

import { hasMarker, SirLLMError } from './sirllm-error.js';

const marker = 'sirllm.error.disposed';
const symbol = Symbol.for(marker);

/** A session, sequence or backend was used after `dispose()`. */
export class DisposedError extends SirLLMError {
  protected readonly [symbol] = true;
  readonly resource: string;

  constructor({ resource }: { resource: string }) {
    super(`This ${resource} has been disposed; create a new one.`);
    this.name = 'DisposedError';
    this.resource = resource;
  }

  static override isInstance(error: unknown): error is DisposedError {
    return hasMarker(error, marker);
  }
}

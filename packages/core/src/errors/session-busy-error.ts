import { hasMarker, SirLLMError } from './sirllm-error.js';

const marker = 'sirllm.error.session-busy';
const symbol = Symbol.for(marker);

/** A second operation was started on a session while one was still running. Await the first. */
export class SessionBusyError extends SirLLMError {
  /** The global marker `isInstance` looks for (a `Symbol.for` key: it survives duplicate installs). */
  protected readonly [symbol] = true;

  constructor({ operation, running }: { operation: string; running: string }) {
    super(`Cannot start ${operation}: ${running} is still running on this session. Await it first.`);
    this.name = 'SessionBusyError';
  }

  /** True when `error` is a `SessionBusyError`, even one thrown by another copy of the library. */
  static override isInstance(error: unknown): error is SessionBusyError {
    return hasMarker(error, marker);
  }
}

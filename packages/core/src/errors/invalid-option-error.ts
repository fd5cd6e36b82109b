import { hasMarker, SirLLMError } from './sirllm-error.js';

const marker = 'sirllm.error.invalid-option';
const symbol = Symbol.for(marker);

/** An option or argument has a value the library cannot use. Nothing was changed. */
export class InvalidOptionError extends SirLLMError {
  /** The global marker `isInstance` looks for (a `Symbol.for` key: it survives duplicate installs). */
  protected readonly [symbol] = true;
  /** The option's name as the caller wrote it, e.g. `sinks` or `retain(keep)`. */
  readonly option: string;
  /** The value that was refused. */
  readonly value: unknown;

  constructor({ option, value, expected }: { option: string; value: unknown; expected: string }) {
    super(`Invalid option "${option}": expected ${expected}, got ${describeValue(value)}.`);
    this.name = 'InvalidOptionError';
    this.option = option;
    this.value = value;
  }

  /** True when `error` is an `InvalidOptionError`, even one thrown by another copy of the library. */
  static override isInstance(error: unknown): error is InvalidOptionError {
    return hasMarker(error, marker);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === undefined || value === null) return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as Uint8Array).length})`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value;
}

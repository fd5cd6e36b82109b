import { AbortedError } from '../errors/aborted-error.js';
import { BackendError } from '../errors/backend-error.js';
import { CapabilityUnsupportedError } from '../errors/capability-unsupported-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { type TokenRole, tokenRoles } from '../ledger/token-role.js';
import type { KVBackend } from '../seam/kv-backend.js';
import type { AppendResult } from '../seam/kv-sequence.js';
import type { SamplingConstraint } from '../seam/sampling-constraint.js';
import type { SamplingOptions } from '../seam/sampling-options.js';
import { requireInteger } from '../validation/require.js';
import type { GenerateOptions } from './generate-options.js';

/** A generate call's options, checked and with defaults filled in. */
export interface GenerateCall {
  readonly maxTokens: number;
  readonly role: TokenRole;
  readonly stop: readonly string[];
  readonly endTokens: ReadonlySet<number>;
  readonly sampling: SamplingOptions;
  readonly constraint: SamplingConstraint | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onToken: GenerateOptions['onToken'];
}

export function resolveGenerateCall(options: GenerateOptions, backend: KVBackend): GenerateCall {
  const stopTokens = options.stopTokens ?? [];
  if (!Array.isArray(stopTokens) || stopTokens.some((token) => !Number.isInteger(token))) {
    throw new InvalidOptionError({
      option: 'stopTokens',
      value: stopTokens,
      expected: 'an array of token ids',
    });
  }
  return {
    maxTokens: requireInteger('maxTokens', options.maxTokens ?? 256, { minimum: 0 }),
    role: validateRole(options.role ?? 'assistant'),
    stop: validateStops(options.stop ?? []),
    endTokens: new Set([...backend.info.specialTokens.endOfGeneration, ...stopTokens]),
    sampling: options.sampling ?? {},
    constraint: validateConstraint(options.constraint, backend),
    signal: options.signal,
    onToken: options.onToken,
  };
}

function validateConstraint(
  constraint: SamplingConstraint | undefined,
  backend: KVBackend,
): SamplingConstraint | undefined {
  if (constraint === undefined) return undefined;
  if (typeof backend.compileJsonSchema !== 'function') {
    throw new CapabilityUnsupportedError({
      capability: 'constrained sampling (KVBackend.compileJsonSchema)',
      backend: backend.info.name,
      hint: 'Generate without `constraint`, or use a backend with a grammar engine such as @sirllm/llamacpp.',
    });
  }
  if (constraint === null || typeof constraint.start !== 'function') {
    throw new InvalidOptionError({
      option: 'constraint',
      value: constraint,
      expected: 'a SamplingConstraint from backend.compileJsonSchema()',
    });
  }
  return constraint;
}

export function validateRole(role: TokenRole): TokenRole {
  if (!tokenRoles.includes(role)) {
    throw new InvalidOptionError({
      option: 'role',
      value: role,
      expected: `one of ${tokenRoles.join(', ')}`,
    });
  }
  return role;
}

/** Text is tokenized by the backend; token ids are checked against the vocabulary. */
export function resolveInput(
  input: string | readonly number[],
  backend: KVBackend,
  special: boolean,
): number[] {
  if (typeof input === 'string') return backend.tokenize(input, { special });
  if (!Array.isArray(input) && !ArrayBuffer.isView(input)) {
    throw new InvalidOptionError({
      option: 'input',
      value: input,
      expected: 'a string or an array of token ids',
    });
  }
  const tokens = Array.from(input);
  const { vocabularySize } = backend.info;
  for (const token of tokens) {
    if (!Number.isInteger(token) || token < 0 || token >= vocabularySize) {
      throw new InvalidOptionError({
        option: 'input',
        value: token,
        expected: `token ids that are integers in [0, ${vocabularySize})`,
      });
    }
  }
  return tokens;
}

function validateStops(stop: readonly string[]): readonly string[] {
  if (!Array.isArray(stop) || stop.some((entry) => typeof entry !== 'string' || entry.length === 0)) {
    throw new InvalidOptionError({ option: 'stop', value: stop, expected: 'an array of non-empty strings' });
  }
  return stop;
}

/**
 * The surprisal values of an append, checked against the contract. Rounding may push −ln P of a
 * near-certain token a hair below zero: values down to −1e-3 become 0; NaN or anything lower is a
 * broken backend.
 */
export function checkedSurprisal(result: AppendResult, count: number): Float32Array {
  const { surprisal } = result;
  if (!(surprisal instanceof Float32Array) || surprisal.length !== count) {
    throw new BackendError(
      `append() returned ${surprisal?.length ?? 'no'} surprisal values for ${count} tokens.`,
    );
  }
  for (let i = 0; i < surprisal.length; i++) {
    const value = surprisal[i] as number;
    if (Number.isNaN(value) || value < -1e-3) {
      throw new BackendError(
        `append() returned an invalid surprisal (${value}); the model output may be broken.`,
      );
    }
    if (value < 0) surprisal[i] = 0;
  }
  return surprisal;
}

/**
 * An error raised while the call's signal was aborted becomes an `AbortedError` that reports the work
 * done; any other error passes through untouched.
 */
export function asAbort(
  error: unknown,
  signal: AbortSignal | undefined,
  operation: string,
  partial: { tokens: readonly number[]; text: string },
): unknown {
  if (!signal?.aborted) return error;
  const isAbort = AbortedError.isInstance(error) || (error instanceof Error && error.name === 'AbortError');
  if (!isAbort || (AbortedError.isInstance(error) && error.partial)) return error;
  return new AbortedError({ operation, partial, cause: signal.reason });
}

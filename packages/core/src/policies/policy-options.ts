import { requireInteger, requireNumber } from '../validation/require.js';

/** Options every built-in evicting policy shares. */
export interface BasePolicyOptions {
  /** Attention-sink tokens kept from the start of the stream (default 4, as in the paper). */
  readonly sinks?: number;
  /** The newest tokens always kept (default 0, as in the paper's runs). */
  readonly recent?: number;
}

export function validateSinksAndRecent(
  policy: string,
  options: BasePolicyOptions,
): { sinks: number; recent: number } {
  return {
    sinks: requireInteger(`${policy}.sinks`, options.sinks ?? 4, { minimum: 0 }),
    recent: requireInteger(`${policy}.recent`, options.recent ?? 0, { minimum: 0 }),
  };
}

export function validateDecay(policy: string, decay: unknown): number {
  return requireNumber(`${policy}.decay`, decay, {
    minimum: 0,
    maximum: 1,
    minimumExclusive: true,
    description: 'a number in (0, 1] (1 means no decay)',
  });
}

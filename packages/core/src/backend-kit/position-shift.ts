import { PositionShiftUnsupportedError } from '../errors/position-shift-unsupported-error.js';
import type { RopeSettings } from '../rope/rope-settings.js';
import type { PositionShiftSupport } from '../seam/model-info.js';

/** What {@link refuseUnshiftablePositions} reads: a model's support and the scheme that decided it. */
export interface PositionShiftVerdict {
  /** The model's `info.positionShift`. */
  readonly support: PositionShiftSupport;
  /** The position scheme to name in the error, e.g. `mrope` or `dynamic NTK RoPE scaling`. */
  readonly scheme: string;
  /** The model's name, for the error message. */
  readonly model: string;
  /** Why this runtime cannot move the keys and what to do instead (default: a generic suggestion). */
  readonly advice?: string;
}

/**
 * The one place a backend refuses a model whose cached keys cannot move to new positions: throws
 * `PositionShiftUnsupportedError` naming `scheme` and `model` when `support` is `'unsupported'`, and
 * does nothing otherwise (`'approximate'` models run; warning about them is the backend's business).
 * `BackendLifecycle.admit` calls it before every `createSequence`/`restoreSequence`; a backend that
 * refuses such models already at load time calls it there too.
 */
export function refuseUnshiftablePositions({ support, scheme, model, advice }: PositionShiftVerdict): void {
  if (support === 'unsupported') {
    throw new PositionShiftUnsupportedError({ scheme, model, ...(advice !== undefined ? { advice } : {}) });
  }
}

/**
 * The name of a RoPE scheme whose keys cannot be re-rotated, for {@link refuseUnshiftablePositions}:
 * the name of an `other` scaling, else `dynamic NTK RoPE scaling` (the only other unsupported type).
 */
export function unshiftableRopeScheme(rope: RopeSettings | undefined): string {
  const scaling = rope?.scaling;
  return scaling?.type === 'other' ? scaling.name : 'dynamic NTK RoPE scaling';
}

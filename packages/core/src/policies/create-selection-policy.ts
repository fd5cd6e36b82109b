import { CapacityExceededError } from '../errors/capacity-exceeded-error.js';
import type { LedgerView } from '../ledger/token-ledger.js';
import type { RetentionPolicy, SelectionRequest } from './retention-policy.js';
import { identityIndices } from './select-by-score.js';
import { validateSelectionRequest } from './validate-selection-request.js';

/** What a policy's chooser sees: the ledger and the part of it that is not mandatory. */
export interface ChoiceContext {
  /** The resident tokens and their scores. */
  readonly ledger: LedgerView;
  /** How many tokens the chooser may add to the mandatory ones. */
  readonly count: number;
  /** Indices `[0, historyStart)` are sinks, kept anyway. */
  readonly historyStart: number;
  /** Indices `[historyEnd, ledger.length)` are the protected newest tokens, kept anyway. */
  readonly historyEnd: number;
}

/**
 * Picks up to `count` indices to keep. May return indices that are mandatory anyway (overlaps) and
 * fewer than `count`: the base fills the leftover room with the newest tokens not yet kept.
 */
export type Chooser = (context: ChoiceContext) => ArrayLike<number>;

/**
 * The shared selection base: sinks ∪ newest `max(recent, protectNewest)` ∪ the chooser's picks, then the
 * leftover room filled with the newest tokens not yet kept (the reference implementation's rule), so
 * exactly `capacity − incoming` tokens stay whenever something has to go. Bad requests (see
 * `validateSelectionRequest`) throw `InvalidOptionError`.
 */
export function createSelectionPolicy({
  name,
  sinks,
  recent,
  decay,
  choose,
}: {
  name: string;
  sinks: number;
  recent: number;
  decay: number;
  choose: Chooser;
}): RetentionPolicy {
  return {
    name,
    sinks,
    recent,
    decay,
    evicts: true,
    select(ledger: LedgerView, request: SelectionRequest): Uint32Array {
      validateSelectionRequest(ledger, request);
      const { length } = ledger;
      const room = request.capacity - request.incoming;
      if (length <= room) return identityIndices(length);
      const historyStart = Math.min(sinks, length);
      const newest = Math.max(recent, request.protectNewest ?? 0);
      const historyEnd = Math.max(historyStart, length - newest);
      const mandatory = historyStart + (length - historyEnd);
      if (mandatory > room) {
        throw new CapacityExceededError({
          capacity: request.capacity,
          requested: mandatory + request.incoming,
          hint:
            `Policy "${name}" must keep ${historyStart} sink and ${length - historyEnd} newest tokens ` +
            `besides ${request.incoming} incoming ones; use a larger capacity or feed fewer tokens at once.`,
        });
      }
      const kept = new Uint8Array(length);
      kept.fill(1, 0, historyStart);
      kept.fill(1, historyEnd, length);
      let keptCount = mandatory;
      const chosen = choose({ ledger, count: room - mandatory, historyStart, historyEnd });
      for (let i = 0; i < chosen.length && keptCount < room; i++) {
        const index = chosen[i] as number;
        if (kept[index] === 0) {
          kept[index] = 1;
          keptCount++;
        }
      }
      for (let index = length - 1; index >= 0 && keptCount < room; index--) {
        if (kept[index] === 0) {
          kept[index] = 1;
          keptCount++;
        }
      }
      const keep = new Uint32Array(keptCount);
      let written = 0;
      for (let index = 0; index < length; index++) if (kept[index] === 1) keep[written++] = index;
      return keep;
    },
  };
}

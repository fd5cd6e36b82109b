import type { LedgerView } from '../ledger/token-ledger.js';
import { requireInteger } from '../validation/require.js';
import type { SelectionRequest } from './retention-policy.js';

/**
 * Checks a `select(ledger, request)` call: a ledger length and `capacity` (≥ 1), `incoming` and
 * `protectNewest` (≥ 0) that are integers; otherwise throws `InvalidOptionError` naming the argument.
 * Every built-in policy calls it first; call it in a policy written by hand. Too many `incoming` tokens
 * for the capacity are not a bad input: the policy throws `CapacityExceededError` for those.
 */
export function validateSelectionRequest(ledger: LedgerView, request: SelectionRequest): void {
  requireInteger('select(ledger).length', ledger?.length, { minimum: 0 });
  requireInteger('select.capacity', request?.capacity, { minimum: 1 });
  requireInteger('select.incoming', request.incoming, { minimum: 0 });
  if (request.protectNewest !== undefined)
    requireInteger('select.protectNewest', request.protectNewest, { minimum: 0 });
}

import { CapacityExceededError } from '../errors/capacity-exceeded-error.js';
import type { RetentionPolicy } from './retention-policy.js';
import { identityIndices } from './select-by-score.js';
import { validateSelectionRequest } from './validate-selection-request.js';

/** The full cache: never evicts, and refuses with a clear error when the conversation outgrows it. */
export function full(): RetentionPolicy {
  return {
    name: 'full',
    sinks: 0,
    recent: 0,
    decay: 1,
    evicts: false,
    select(ledger, request) {
      validateSelectionRequest(ledger, request);
      const { capacity, incoming } = request;
      if (ledger.length + incoming > capacity) {
        throw new CapacityExceededError({
          capacity,
          requested: ledger.length + incoming,
          hint: 'The full() policy never evicts; use sirllm() or streamingLLM() for conversations longer than the cache.',
        });
      }
      return identityIndices(ledger.length);
    },
  };
}

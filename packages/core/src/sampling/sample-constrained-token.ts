import { BackendError } from '../errors/backend-error.js';
import type { RandomSource } from '../random/seeded-random.js';
import type { ConstraintState } from '../seam/sampling-constraint.js';
import type { SamplingOptions } from '../seam/sampling-options.js';
import type { LogitsRow } from '../surprisal/log-softmax.js';
import { sampleToken } from './sample-token.js';

/**
 * Picks a token from a raw logits row among the tokens `constraint` allows, for backends that hold a
 * whole row in JavaScript. First the unconstrained pick is tried (cheap: one `allows` call); when the
 * constraint refuses it, every refused token is masked to −∞ and the pick is drawn again from the same
 * random stream. Greedy picks the most probable allowed token. Plain temperature sampling draws
 * exactly from the distribution renormalised over the allowed tokens (accepting the first draw with
 * probability p(t) and redrawing from p restricted to the allowed set otherwise sums to p(t)/Σallowed);
 * with top-k/top-p/min-p the truncation applies to whichever distribution is drawn from, as in
 * llama.cpp. Throws `BackendError` when the constraint allows no token of the row.
 */
export function sampleConstrainedToken(
  row: LogitsRow,
  options: Required<SamplingOptions>,
  random: RandomSource,
  constraint: Pick<ConstraintState, 'allows'>,
): number {
  const first = sampleToken(row, options, random);
  if (constraint.allows(first)) return first;
  const masked = new Float32Array(row.length).fill(Number.NEGATIVE_INFINITY);
  let allowed = 0;
  for (let token = 0; token < row.length; token++) {
    const logit = row[token] as number;
    if (logit !== Number.NEGATIVE_INFINITY && constraint.allows(token)) {
      masked[token] = logit;
      allowed++;
    }
  }
  if (allowed === 0) {
    throw new BackendError(
      'The sampling constraint allows no token here: its grammar cannot continue (is it already complete?).',
    );
  }
  return sampleToken(masked, options, random);
}

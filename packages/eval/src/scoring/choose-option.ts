/** One option's scores, as the protocol records them. */
export interface OptionScore {
  /** Log-likelihood of the continuation's first token (the paper's "(a)"), in nats. */
  readonly firstTokenLogLikelihood: number;
  /** Log-likelihood of the whole continuation, in nats. */
  readonly logLikelihood: number;
  /** Whether greedy decoding reproduces the continuation (see `isGreedyMatch`). */
  readonly greedyMatch: boolean;
}

/**
 * How an option is picked:
 * - `greedy-then-likelihood` (DailyDialog, Grocery): the first option that is a greedy match, else the
 *   highest likelihood;
 * - `likelihood` (Rock-Paper-Scissors): the highest likelihood only.
 * Ties go to the earlier option (Python's `list.index(max(...))`).
 */
export type ChoiceRule = 'greedy-then-likelihood' | 'likelihood';

/** Which likelihood ranks the options: the first continuation token (`letter`) or all of it (`cloze`). */
export type LikelihoodKind = 'first-token' | 'whole';

/** The index of the chosen option. `options` must not be empty. */
export function chooseOption(
  options: readonly OptionScore[],
  rule: ChoiceRule,
  likelihood: LikelihoodKind = 'first-token',
): number {
  if (rule === 'greedy-then-likelihood') {
    const matched = options.findIndex((option) => option.greedyMatch);
    if (matched >= 0) return matched;
  }
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  options.forEach((option, index) => {
    const value = likelihood === 'first-token' ? option.firstTokenLogLikelihood : option.logLikelihood;
    if (value > bestValue) {
      best = index;
      bestValue = value;
    }
  });
  return best;
}

/** What decided a question: a greedy match, a strictly highest likelihood, or a tie (the earlier option won). */
export type Decision = 'greedy-match' | 'likelihood' | 'tie';

/** Why `chooseOption` picked what it picked (for the reports' diagnostics). */
export function decisionOf(
  options: readonly OptionScore[],
  rule: ChoiceRule,
  likelihood: LikelihoodKind,
): Decision {
  if (rule === 'greedy-then-likelihood' && options.some((option) => option.greedyMatch))
    return 'greedy-match';
  const values = options.map((option) =>
    likelihood === 'first-token' ? option.firstTokenLogLikelihood : option.logLikelihood,
  );
  const best = Math.max(...values);
  return options.length > 1 && values.filter((value) => value === best).length > 1 ? 'tie' : 'likelihood';
}

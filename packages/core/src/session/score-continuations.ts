import { BackendError } from '../errors/backend-error.js';
import { identityIndices } from '../policies/select-by-score.js';
import type { KVSequence } from '../seam/kv-sequence.js';
import { checkedSurprisal } from './call-validation.js';

/** Options of `MemorySession.score`. */
export interface ScoreOptions {
  /** Also report, per candidate token, the most probable token at its position (for greedy matching). */
  readonly argmax?: boolean;
  /** Cancels the scoring; the resident tokens are left as they were. */
  readonly signal?: AbortSignal;
}

/** How the model scores one candidate continuation of the resident tokens (`MemorySession.score`). */
export interface ContinuationScore {
  /** The candidate's tokens, as given. */
  readonly tokens: readonly number[];
  /**
   * `surprisal[i]` = −ln P(tokens[i] | the resident tokens, tokens[0..i)), in nats. The log-likelihood
   * of the candidate's first token is `−surprisal[0]`.
   */
  readonly surprisal: Float32Array;
  /**
   * Present when `argmax` was requested: `greedy[i]` = the most probable token at the position of
   * `tokens[i]`, i.e. what greedy decoding would have produced there given the resident tokens and
   * `tokens[0..i)` (ties to the lowest id). The candidate is a "greedy match" when `greedy` equals `tokens`.
   */
  readonly greedy?: Int32Array;
}

/**
 * Scores each candidate as a continuation of the `resident` tokens of `sequence`, rolling the sequence
 * back to `resident` tokens after each one (`retain([0..resident))`). The caller makes sure the longest
 * candidate fits. On any error the sequence is rolled back too.
 */
export async function scoreContinuations(
  sequence: KVSequence,
  resident: number,
  candidates: readonly (readonly number[])[],
  options: ScoreOptions,
): Promise<ContinuationScore[]> {
  const { argmax = false, signal } = options;
  const rollback = identityIndices(resident);
  const scores: ContinuationScore[] = [];
  try {
    // The prediction for a candidate's first token follows the last resident token: greedy decoding of
    // zero new tokens gives it (temperature 0 picks the most probable token, ties to the lowest id).
    let firstGreedy = -1;
    if (argmax && candidates.some((candidate) => candidate.length > 0)) {
      const next = (await sequence.append([], { sample: { temperature: 0 }, signal })).next;
      if (next === undefined) throw new BackendError('append() ignored the sample option.');
      firstGreedy = next.token;
    }
    for (const candidate of candidates) {
      if (candidate.length === 0) {
        scores.push({
          tokens: [],
          surprisal: new Float32Array(0),
          ...(argmax ? { greedy: new Int32Array(0) } : {}),
        });
        continue;
      }
      const result = await sequence.append(candidate, { argmax, signal });
      const surprisal = checkedSurprisal(result, candidate.length);
      let greedy: Int32Array | undefined;
      if (argmax) {
        if (!(result.argmax instanceof Int32Array) || result.argmax.length !== candidate.length) {
          throw new BackendError(
            `append() returned ${result.argmax?.length ?? 'no'} argmax values for ${candidate.length} tokens (argmax was requested).`,
          );
        }
        greedy = new Int32Array(candidate.length);
        greedy[0] = firstGreedy;
        greedy.set(result.argmax.subarray(0, candidate.length - 1), 1);
      }
      await sequence.retain(rollback);
      scores.push({ tokens: [...candidate], surprisal: surprisal.slice(), ...(greedy ? { greedy } : {}) });
    }
    return scores;
  } catch (error) {
    if (sequence.length > resident) await sequence.retain(rollback);
    throw error;
  }
}

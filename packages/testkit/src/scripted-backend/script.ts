/** What a {@link Script} is told about the tokens resident before the position it scores or fills. */
export interface ScriptContext {
  /** The resident tokens, oldest first (after an eviction, evicted tokens are gone from it). */
  readonly tokens: readonly number[];
  /** `tokens` as text (the backend's `detokenize`), computed on first read. */
  readonly text: string;
  /** The backend's vocabulary: `vocabulary[id]` is the text of token `id`. */
  readonly vocabulary: readonly string[];
}

/**
 * The "model" of a {@link ScriptedBackend}: rules that say, for every context, how surprising a token is
 * and which token comes next, so that every number a test checks can be worked out by hand.
 *
 * A script need not be a probability distribution (`modularScript` is not: its surprisal ignores the
 * context); `logitScript` is one (log-softmax of hand-written logits).
 */
export interface Script {
  /** −ln P(`token` | `context`) in nats: the surprisal `append` reports for a fed token (and for `next`). */
  surprisal(token: number, context: ScriptContext): number;
  /**
   * The token that follows `context`: the `next` token `append` picks when asked to sample (whatever the
   * temperature or seed) and the `argmax` it reports after each fed token.
   */
  next(context: ScriptContext): number;
}

import type { Script, ScriptContext } from './script.js';

/**
 * Hand-written logits for the token after `text` (the resident text), by token text; a token not named
 * has logit 0. A text names the vocabulary's first token with that text.
 */
export type LogitRule = (text: string) => Readonly<Record<string, number | undefined>>;

/**
 * A script that is a real distribution: after a context, the logits are `rule(context.text)`, the
 * surprisal of a token is ln Σ exp(logits) − logit(token) (log-softmax), and the next token is the argmax
 * (the lowest id among ties). Evicted text is invisible to the rule.
 *
 * @throws Error from `surprisal` or `next` when the rule names a text that is no token of the vocabulary.
 */
export function logitScript(rule: LogitRule): Script & {
  /** Log-probabilities of every token after `context`. */
  logProbabilities(context: ScriptContext): Float64Array;
} {
  const logProbabilities = ({ text, vocabulary }: ScriptContext): Float64Array => {
    const logits = new Float64Array(vocabulary.length);
    for (const [token, logit] of Object.entries(rule(text))) {
      if (logit === undefined) continue;
      const id = vocabulary.indexOf(token);
      if (id < 0)
        throw new Error(`logitScript: the rule names ${JSON.stringify(token)}, no token of the vocabulary`);
      logits[id] = logit;
    }
    let maximum = Number.NEGATIVE_INFINITY;
    for (const value of logits) maximum = Math.max(maximum, value);
    let sum = 0;
    for (const value of logits) sum += Math.exp(value - maximum);
    const normaliser = maximum + Math.log(sum);
    return logits.map((value) => value - normaliser);
  };
  return {
    logProbabilities,
    surprisal: (token, context) => -(logProbabilities(context)[token] as number),
    next: (context) => {
      const values = logProbabilities(context);
      let best = 0;
      for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
      return best;
    },
  };
}

import {
  type AppendOptions,
  type AppendResult,
  CapacityExceededError,
  type ChatTemplate,
  InvalidOptionError,
  type KVBackend,
  type KVSequence,
  type ModelInfo,
  validateKeepIndices,
} from '@sirllm/core';

/** Logits by token text; every token not named has logit 0. */
export type LogitRule = (residentText: string) => Readonly<Record<string, number | undefined>>;

/**
 * A test backend whose next-token logits are written by hand as a function of the resident text, so
 * every surprisal and argmax can be worked out on paper:
 * - vocabulary: `~` (id 0, never in the data: the argmax when all logits tie), the merged tokens
 *   ` A` … ` E` and ` OK`, then every other printable ASCII character and `\n`;
 * - tokenization: greedy longest match;
 * - surprisal of a fed token = ln Σ exp(logits) − logit(token), from the rule applied to the text of
 *   the tokens resident before it (after eviction, evicted text is invisible to the rule).
 */
export class HandBuiltBackend implements KVBackend {
  readonly specificationVersion = 'v1' as const;
  readonly info: ModelInfo;
  readonly vocabulary: readonly string[];
  readonly #ids = new Map<string, number>();
  readonly rule: LogitRule;
  chatTemplate?: ChatTemplate;

  constructor(rule: LogitRule = () => ({})) {
    const merged = ['~', ' A', ' B', ' C', ' D', ' E', ' OK'];
    const characters = ['\n'];
    for (let code = 32; code < 127; code++) characters.push(String.fromCharCode(code));
    this.vocabulary = [...merged, ...characters.filter((character) => character !== '~')];
    this.vocabulary.forEach((text, id) => {
      this.#ids.set(text, id);
    });
    this.rule = rule;
    this.info = {
      name: 'hand-built',
      fingerprint: 'hand-built:1',
      vocabularySize: this.vocabulary.length,
      trainedContextLength: 1 << 16,
      specialTokens: { endOfGeneration: [] },
      positionShift: 'exact',
    };
  }

  idOf(text: string): number {
    const id = this.#ids.get(text);
    if (id === undefined) throw new Error(`no token ${JSON.stringify(text)}`);
    return id;
  }

  tokenize(text: string): number[] {
    const tokens: number[] = [];
    let at = 0;
    while (at < text.length) {
      const pair = text.slice(at, at + 3);
      const length = this.#ids.has(pair) ? 3 : this.#ids.has(pair.slice(0, 2)) ? 2 : 1;
      tokens.push(this.idOf(text.slice(at, at + length)));
      at += length;
    }
    return tokens;
  }

  detokenize(tokens: readonly number[]): string {
    return tokens.map((token) => this.vocabulary[token] ?? '').join('');
  }

  /** Log-probabilities of every token after `text`. */
  logProbabilities(text: string): Float64Array {
    const logits = new Float64Array(this.vocabulary.length);
    for (const [token, logit] of Object.entries(this.rule(text)))
      if (logit !== undefined) logits[this.idOf(token)] = logit;
    let maximum = Number.NEGATIVE_INFINITY;
    for (const value of logits) maximum = Math.max(maximum, value);
    let sum = 0;
    for (const value of logits) sum += Math.exp(value - maximum);
    const normaliser = maximum + Math.log(sum);
    return logits.map((value) => value - normaliser);
  }

  async createSequence({ capacity }: { capacity: number }): Promise<KVSequence> {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new InvalidOptionError({ option: 'capacity', value: capacity, expected: 'a positive integer' });
    }
    return new HandBuiltSequence(this, capacity);
  }

  async dispose(): Promise<void> {}
}

function argmaxOf(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

class HandBuiltSequence implements KVSequence {
  readonly tokens: number[] = [];

  constructor(
    private readonly backend: HandBuiltBackend,
    readonly capacity: number,
  ) {}

  get length(): number {
    return this.tokens.length;
  }

  async append(tokens: readonly number[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.tokens.length + tokens.length > this.capacity) {
      throw new CapacityExceededError({
        capacity: this.capacity,
        requested: this.tokens.length + tokens.length,
        hint: '',
      });
    }
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    const surprisal = new Float32Array(tokens.length);
    const argmax = new Int32Array(tokens.length);
    let text = this.backend.detokenize(this.tokens);
    tokens.forEach((token, index) => {
      surprisal[index] =
        this.tokens.length === 0
          ? Number.POSITIVE_INFINITY
          : -(this.backend.logProbabilities(text)[token] as number);
      this.tokens.push(token);
      text += this.backend.vocabulary[token];
      if (options.argmax) argmax[index] = argmaxOf(this.backend.logProbabilities(text));
    });
    const result: AppendResult = { surprisal, ...(options.argmax ? { argmax } : {}) };
    if (!options.sample) return result;
    const probabilities = this.backend.logProbabilities(text);
    const next = argmaxOf(probabilities);
    return { ...result, next: { token: next, surprisal: -(probabilities[next] as number) } };
  }

  async retain(keep: Uint32Array): Promise<void> {
    validateKeepIndices(keep, this.tokens.length);
    const kept = Array.from(keep, (index) => this.tokens[index] as number);
    this.tokens.length = 0;
    this.tokens.push(...kept);
  }

  async dispose(): Promise<void> {}
}

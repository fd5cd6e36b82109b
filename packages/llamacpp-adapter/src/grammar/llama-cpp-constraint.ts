import {
  type ConstraintState,
  DisposedError,
  InvalidOptionError,
  type SamplingConstraint,
} from '@sirllm/core';
import { type LlamaGrammar, LlamaGrammarEvaluationState, type LlamaModel, type Token } from 'node-llama-cpp';
import type { GrammarTokenCheck } from './grammar-token-check.js';

/** What a constraint needs from the backend that compiled it. */
export interface ConstraintHost {
  readonly model: LlamaModel;
  readonly vocabularySize: number;
  /** The end-of-generation tokens: the grammar allows one of them exactly where its text is complete. */
  readonly endTokens: ReadonlySet<number>;
  readonly check: GrammarTokenCheck;
  readonly disposed: boolean;
}

/**
 * A JSON schema compiled to a llama.cpp grammar (GBNF, by node-llama-cpp's `createGrammarForJsonSchema`).
 * Made by `LlamaCppBackend.compileJsonSchema`; reusable for any number of generations on that backend.
 */
export class LlamaCppConstraint implements SamplingConstraint {
  readonly description: string;
  readonly #host: ConstraintHost;
  readonly #grammar: LlamaGrammar;

  constructor(host: ConstraintHost, grammar: LlamaGrammar, description: string) {
    this.#host = host;
    this.#grammar = grammar;
    this.description = description;
  }

  /** The GBNF grammar text llama.cpp runs (for diagnostics). */
  get grammar(): string {
    return this.#grammar.grammar;
  }

  start(): LlamaCppConstraintState {
    if (this.#host.disposed) throw new DisposedError({ resource: 'llama.cpp backend' });
    const state = new LlamaGrammarEvaluationState({ model: this.#host.model, grammar: this.#grammar });
    return new LlamaCppConstraintState(this.#host, state);
  }
}

/**
 * One constrained text's position in a llama.cpp grammar: a `LlamaGrammarEvaluationState` that moves
 * only with accepted tokens. `complete` turns true once the grammar allows an end token: at the closing
 * bracket of an object or array (see `tightenJsonGrammar`), after the newlines that follow a bare number.
 */
export class LlamaCppConstraintState implements ConstraintState {
  readonly #host: ConstraintHost;
  readonly #state: LlamaGrammarEvaluationState;
  /** True once an end-of-generation token was accepted: the text is over. */
  #ended = false;

  constructor(host: ConstraintHost, state: LlamaGrammarEvaluationState) {
    this.#host = host;
    this.#state = state;
  }

  /** Whether this state belongs to a constraint compiled by the backend behind `host`. */
  belongsTo(host: ConstraintHost): boolean {
    return this.#host === host;
  }

  get complete(): boolean {
    if (this.#ended) return true;
    for (const token of this.#host.endTokens) if (this.allows(token)) return true;
    return false;
  }

  allows(token: number): boolean {
    this.#assertUsable();
    if (!Number.isInteger(token) || token < 0 || token >= this.#host.vocabularySize) return false;
    if (this.#ended) return false;
    return this.#host.check.allows(this.#state, token);
  }

  accept(token: number): void {
    if (!this.allows(token)) {
      throw new InvalidOptionError({
        option: 'accept(token)',
        value: token,
        expected: 'a token the grammar allows at this point',
      });
    }
    if (this.#host.endTokens.has(token) || this.#host.model.isEogToken(token as Token)) this.#ended = true;
    else this.#host.check.accept(this.#state, token);
  }

  #assertUsable(): void {
    if (this.#host.disposed) throw new DisposedError({ resource: 'llama.cpp backend' });
  }
}

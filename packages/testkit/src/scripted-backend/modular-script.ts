import type { Script, ScriptContext } from './script.js';

/** Options of {@link modularScript}. */
export interface ModularScriptOptions {
  /** The surprisal of a token, whatever its context (default `token % 13 + 0.5`). */
  readonly surprisal?: (token: number) => number;
}

/** A {@link Script} whose surprisal depends on the token alone; {@link modularScript} makes one. */
export interface ModularScript extends Script {
  /** The surprisal of `token` in any context: what `append` reports for it on a non-empty sequence. */
  surprisalOf(token: number): number;
}

/**
 * The simplest script, for engine tests that count and compare numbers: the surprisal of token t is
 * `surprisal(t)` (default t mod 13 + 0.5) in every context, and the token after t is (7t + 3) mod the
 * vocabulary size (after an empty context, 3). Not a probability distribution.
 */
export function modularScript({
  surprisal = (token) => (token % 13) + 0.5,
}: ModularScriptOptions = {}): ModularScript {
  return {
    surprisalOf: (token) => surprisal(token),
    surprisal: (token) => surprisal(token),
    next: ({ tokens, vocabulary }: ScriptContext) =>
      (7 * (tokens[tokens.length - 1] ?? 0) + 3) % vocabulary.length,
  };
}

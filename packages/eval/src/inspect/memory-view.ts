import type { MemorySession, TokenRole } from '@sirllm/core';

/** One token of the conversation as the memory view shows it. */
export interface ViewToken {
  /** The token's text, as the backend detokenizes it alone. */
  readonly text: string;
  /** Position in the whole stream. */
  readonly position: number;
  /** Who the token belongs to (`user`, `assistant`, …). */
  readonly role: TokenRole;
  /** Still in the KV cache. */
  readonly resident: boolean;
  /** −ln P when the token was fed, in nats (NaN where unknown). */
  readonly surprisal: number;
  /** The decayed retention score, for resident tokens. */
  readonly score?: number;
}

/** A conversation and what the memory kept of it. */
export interface MemoryView {
  /** The backend's model name. */
  readonly model: string;
  /** The retention policy's name. */
  readonly policy: string;
  /** The session's cache capacity, in tokens. */
  readonly capacity: number;
  /** Tokens still in the cache. */
  readonly resident: number;
  /** Tokens evicted from the cache. */
  readonly evicted: number;
  /** Every token of the transcript, in stream order. */
  readonly tokens: readonly ViewToken[];
}

/**
 * The session's whole transcript, each token marked resident or evicted, with the surprisal it had when
 * fed (`surprisal[position]`, collected by the caller from `ingest`/`generate`) and, if resident, its
 * current decayed score.
 */
export function memoryView(session: MemorySession, surprisal: ArrayLike<number>): MemoryView {
  const { ledger, transcript } = session;
  const scores = new Map<number, number>();
  for (let index = 0; index < ledger.length; index++) {
    scores.set(ledger.streamPositions[index] as number, ledger.scores[index] as number);
  }
  const tokens = transcript.tokens().map((token, position): ViewToken => {
    const score = scores.get(position);
    return {
      text: session.backend.detokenize([token]),
      position,
      role: transcript.roleAt(position),
      resident: score !== undefined,
      surprisal: position < surprisal.length ? (surprisal[position] as number) : Number.NaN,
      ...(score === undefined ? {} : { score }),
    };
  });
  return {
    model: session.backend.info.name,
    policy: session.policy.name,
    capacity: session.capacity,
    resident: ledger.length,
    evicted: transcript.length - ledger.length,
    tokens,
  };
}

/**
 * A surprisal's heat in [0, 1], relative to the largest finite surprisal of the view (∞, the first
 * token's, is 1): what the renderings colour by.
 */
export function heatOf(view: MemoryView): (value: number) => number {
  const finite = view.tokens.map((token) => token.surprisal).filter((value) => Number.isFinite(value));
  const maximum = Math.max(1e-9, ...finite);
  return (value) => (Number.isFinite(value) ? Math.max(0, Math.min(1, value / maximum)) : 1);
}

/** A token's text made safe to show: newline as ⏎, tab as →, other control characters as �. */
export function visibleText(text: string): string {
  let visible = '';
  for (const character of text) {
    const code = character.codePointAt(0) as number;
    if (character === '\n') visible += '⏎';
    else if (character === '\t') visible += '→';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) visible += '�';
    else visible += character;
  }
  return visible;
}

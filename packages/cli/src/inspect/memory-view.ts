import type { MemorySession, TokenRole } from '@sirllm/core';

/** One token of the conversation as `inspect` shows it. */
export interface ViewToken {
  readonly text: string;
  /** Position in the whole stream. */
  readonly position: number;
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
  readonly model: string;
  readonly policy: string;
  readonly capacity: number;
  readonly resident: number;
  readonly evicted: number;
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

/** A score's heat in [0, 1] relative to the finite scores of the view (∞, the first token, is 1). */
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

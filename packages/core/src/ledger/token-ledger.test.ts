import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { TokenLedger } from './token-ledger.js';

describe('TokenLedger', () => {
  const filled = () => {
    const ledger = new TokenLedger(8);
    ledger.append({ tokens: [10, 11, 12], scores: [5, 1, 3], turn: 0, role: 'user', firstStreamPosition: 0 });
    ledger.append({ tokens: [13, 14], scores: [2, 4], turn: 1, role: 'assistant', firstStreamPosition: 3 });
    return ledger;
  };

  it('appends, retains in order and decays', () => {
    const ledger = filled();
    ledger.retain(Uint32Array.from([0, 2, 4]));
    expect(ledger.length).toBe(3);
    expect(ledger.entry(1)).toEqual({ token: 12, score: 3, turn: 0, role: 'user', streamPosition: 2 });
    expect(ledger.entry(2)).toEqual({ token: 14, score: 4, turn: 1, role: 'assistant', streamPosition: 4 });
    ledger.decay(0.5);
    expect(Array.from(ledger.scores.subarray(0, 3))).toEqual([2.5, 1.5, 2]);
  });

  it('refuses bad keeps and overflow without changing anything', () => {
    const ledger = filled();
    expect(() => ledger.retain(Uint32Array.from([1, 1]))).toThrow(InvalidOptionError);
    expect(() => ledger.retain(Uint32Array.from([0, 5]))).toThrow(/below the resident length 5/);
    expect(() => ledger.retain([0, 1] as never)).toThrow(/Uint32Array/);
    expect(() =>
      ledger.append({
        tokens: [1, 2, 3, 4],
        scores: [1, 1, 1, 1],
        turn: 2,
        role: 'user',
        firstStreamPosition: 5,
      }),
    ).toThrow(/at most 3 tokens/);
    expect(() =>
      ledger.append({ tokens: [1], scores: [], turn: 2, role: 'user', firstStreamPosition: 5 }),
    ).toThrow(/1 scores/);
    expect(ledger.residentTokens()).toEqual([10, 11, 12, 13, 14]);
    expect(() => ledger.entry(5)).toThrow(RangeError);
  });
});

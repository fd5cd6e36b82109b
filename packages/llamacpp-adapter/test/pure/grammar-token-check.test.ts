import { CapabilityUnsupportedError } from '@sirllm/core';
import type { Llama, LlamaGrammarEvaluationState } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { grammarTokenCheck } from '../../src/grammar/grammar-token-check.js';

/** A stand-in for node-llama-cpp's Llama with the given addon internals. */
function fakeLlama(bindings: unknown): Llama {
  return { _bindings: bindings } as unknown as Llama;
}

const addon = {
  AddonSampler: {
    canBeNextTokenForGrammarEvaluationState: (state: { allowed: number }, token: number) =>
      token === state.allowed,
    acceptGrammarEvaluationStateToken: () => {},
  },
};

describe('grammarTokenCheck: node-llama-cpp internals behind a feature check', () => {
  it('a node-llama-cpp without the addon grammar functions gives CapabilityUnsupportedError', () => {
    for (const bindings of [undefined, {}, { AddonSampler: {} }]) {
      const error = (() => {
        try {
          grammarTokenCheck(fakeLlama(bindings), 'tiny');
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(CapabilityUnsupportedError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/Backend "tiny" does not support constrained sampling/);
    }
  });

  it('a grammar state without its addon state gives CapabilityUnsupportedError, not a crash', () => {
    const check = grammarTokenCheck(fakeLlama(addon), 'tiny');
    const withState = { _state: { allowed: 7 } } as unknown as LlamaGrammarEvaluationState;
    expect(check.allows(withState, 7)).toBe(true);
    expect(check.allows(withState, 8)).toBe(false);
    const moved = {} as LlamaGrammarEvaluationState;
    expect(() => check.allows(moved, 7)).toThrowError(/does not support constrained sampling/);
    expect(() => check.accept(moved, 7)).toThrowError(/does not support constrained sampling/);
  });
});

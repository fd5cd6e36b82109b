import { CapabilityUnsupportedError } from '@sirllm/core';
import type { Llama, LlamaGrammarEvaluationState } from 'node-llama-cpp';

/** The two grammar operations constrained sampling needs on a grammar evaluation state. */
export interface GrammarTokenCheck {
  /** Whether the grammar allows `token` next (an end-of-generation token: whether it may end here). */
  allows(state: LlamaGrammarEvaluationState, token: number): boolean;
  /** Advances the grammar past `token` (never an end-of-generation token: llama.cpp aborts on those). */
  accept(state: LlamaGrammarEvaluationState, token: number): void;
}

interface AddonSamplerStatics {
  canBeNextTokenForGrammarEvaluationState(state: unknown, token: number): boolean;
  acceptGrammarEvaluationStateToken(state: unknown, token: number): void;
}

interface LlamaInternals {
  readonly _bindings?: { readonly AddonSampler?: Partial<AddonSamplerStatics> };
}

interface StateInternals {
  readonly _state?: unknown;
}

/**
 * node-llama-cpp 3.22 applies grammars only inside its own samplers (`evaluate`, `LlamaChat`):
 * `controlledEvaluate`, which this backend needs for exact surprisal, ignores `grammarEvaluationState`,
 * and `LlamaGrammarEvaluationState` has no public method to test or accept a token. The addon does
 * have both (`LlamaChat` and the draft-sequence predictor call them); this reaches them through
 * internal fields (`llama._bindings`, `state._state`), and checks they exist so that a node-llama-cpp
 * release that moves them fails with a clear error instead of a crash.
 */
export function grammarTokenCheck(llama: Llama, backend: string): GrammarTokenCheck {
  const statics = (llama as unknown as LlamaInternals)._bindings?.AddonSampler;
  const allows = statics?.canBeNextTokenForGrammarEvaluationState;
  const accept = statics?.acceptGrammarEvaluationStateToken;
  if (typeof allows !== 'function' || typeof accept !== 'function') {
    throw new CapabilityUnsupportedError({
      capability: 'constrained sampling with this node-llama-cpp version',
      backend,
      hint:
        "@sirllm/llamacpp tests grammar tokens through node-llama-cpp 3.22's addon " +
        '(AddonSampler.canBeNextTokenForGrammarEvaluationState), which this version does not expose. ' +
        'Install node-llama-cpp 3.22.x.',
    });
  }
  const native = (target: LlamaGrammarEvaluationState) => {
    const state = (target as unknown as StateInternals)._state;
    if (state === undefined) {
      throw new CapabilityUnsupportedError({
        capability: 'constrained sampling with this node-llama-cpp version',
        backend,
        hint: 'Its LlamaGrammarEvaluationState keeps no addon state where 3.22 did. Install node-llama-cpp 3.22.x.',
      });
    }
    return state;
  };
  return {
    allows: (target, token) => allows.call(statics, native(target), token) === true,
    accept: (target, token) => {
      accept.call(statics, native(target), token);
    },
  };
}

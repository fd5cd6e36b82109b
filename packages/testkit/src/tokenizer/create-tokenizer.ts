import { requireInteger } from '@sirllm/core';
import { ByteLevelTokenizer } from './byte-level-tokenizer.js';
import { learnMerges } from './learn-merges.js';
import { specialTokenTexts } from './special-tokens.js';
import { trainingCorpus } from './training-corpus.js';

/** Options of {@link createTokenizer}. */
export interface TokenizerOptions {
  /** Text to learn merges from (default: the built-in chat-like English corpus). */
  readonly corpus?: string;
  /** Most merges to learn (default 160; fewer when the corpus runs out of repeated pairs). */
  readonly mergeCount?: number;
  /**
   * The special tokens' texts in id order, after the merges (default `specialTokenTexts`: `<s>`, `</s>`,
   * `<|user|>`, `<|assistant|>`, `<|end|>`). A model family's list comes from `familyChatFormat`.
   */
  readonly specialTokens?: readonly string[];
}

export const defaultMergeCount = 160;

let defaultTokenizer: ByteLevelTokenizer | undefined;

/**
 * The testkit's byte-level BPE tokenizer: 256 byte tokens, merges learned greedily from a corpus, then
 * the special tokens (default `<s>`, `</s>`, `<|user|>`, `<|assistant|>`, `<|end|>`). Deterministic; the
 * default one is built once. The merges do not depend on the special tokens.
 */
export function createTokenizer(options: TokenizerOptions = {}): ByteLevelTokenizer {
  const isDefault =
    options.corpus === undefined && options.mergeCount === undefined && options.specialTokens === undefined;
  const specialTokens = options.specialTokens ?? specialTokenTexts;
  if (isDefault && defaultTokenizer) return defaultTokenizer;
  const mergeCount = requireInteger('mergeCount', options.mergeCount ?? defaultMergeCount, {
    minimum: 0,
    maximum: 65536 - 256 - specialTokens.length,
  });
  const tokenizer = new ByteLevelTokenizer(
    learnMerges(options.corpus ?? trainingCorpus, mergeCount),
    specialTokens,
  );
  if (isDefault) defaultTokenizer = tokenizer;
  return tokenizer;
}

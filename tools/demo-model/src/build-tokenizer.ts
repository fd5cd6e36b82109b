import { ByteLevelTokenizer, learnMerges, type MergePair, specialTokenTexts } from '@sirllm/testkit';

/** Options of {@link buildTokenizer}. */
export interface BuildTokenizerOptions {
  /** Text the merges are learned from. */
  readonly corpus: string;
  /** Merges learned from the corpus, before the forced ones. */
  readonly mergeCount: number;
  /**
   * Pieces that must each be one token (e.g. `cheese` and ` cheese`): the item of a shopping request
   * then costs the model one prediction, carries one surprisal, and is the same token in the request
   * (`[cheese]`) and in the answer (`<|assistant|>cheese`).
   */
  readonly singleTokenPieces: readonly string[];
}

/**
 * A byte-level BPE tokenizer (GPT-2 pre-tokenization, the testkit's special tokens) with merges learned
 * from the corpus, then, for every piece that is still several tokens, merges appended that join its
 * tokens left to right. Appended merges rank last, so they never change how an earlier piece is split.
 */
export function buildTokenizer(options: BuildTokenizerOptions): ByteLevelTokenizer {
  const merges: MergePair[] = learnMerges(options.corpus, options.mergeCount);
  let tokenizer = new ByteLevelTokenizer(merges, specialTokenTexts);
  for (const piece of options.singleTokenPieces) {
    let ids = tokenizer.encode(piece);
    while (ids.length > 1) {
      merges.push([ids[0] as number, ids[1] as number]);
      tokenizer = new ByteLevelTokenizer(merges, specialTokenTexts);
      ids = tokenizer.encode(piece);
    }
  }
  return tokenizer;
}

/** The pieces forced to single tokens for a list of items: every word, bare and after a space. */
export function singleTokenPiecesOf(items: readonly string[]): string[] {
  const pieces = new Set<string>();
  for (const item of items) {
    for (const word of item.split(' ')) {
      pieces.add(word);
      pieces.add(` ${word}`);
    }
  }
  return [...pieces];
}

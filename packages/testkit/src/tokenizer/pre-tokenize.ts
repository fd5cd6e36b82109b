/**
 * The GPT-2 pre-tokenization pattern: contractions, letter runs, digit runs and punctuation runs (each
 * with an optional leading space), and whitespace. Merges never cross the pieces it cuts. Hugging Face
 * `ByteLevel` (use_regex) and llama.cpp's `gpt-2` pre-tokenizer split text the same way.
 */
export const preTokenizePattern =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** Splits text into pre-tokens whose concatenation is the text. */
export function preTokenize(text: string): string[] {
  return text.match(new RegExp(preTokenizePattern)) ?? [];
}

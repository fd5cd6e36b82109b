/** One token of the testkit tokenizer, in the form tokenizer-file writers (GGUF, tokenizer.json) need. */
export interface VocabularyEntry {
  /** The token id. */
  readonly id: number;
  /** What the token decodes to: raw bytes (a special token: its text in UTF-8). */
  readonly bytes: Uint8Array;
  /** The byte-level string form (`Ġthe`); a special token's literal text. */
  readonly text: string;
  /** A single byte, a merge of two earlier tokens, or a special token. */
  readonly kind: 'byte' | 'merge' | 'special';
}

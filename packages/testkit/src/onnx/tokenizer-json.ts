import type { ByteLevelTokenizer } from '../tokenizer/byte-level-tokenizer.js';

/**
 * The testkit chat format (see `testkitChatTemplate`) as the Jinja `chat_template` written to
 * `tokenizer_config.json`: `<s>`, system text on its own line, `<|user|>…<|end|>` and
 * `<|assistant|>…<|end|>` turns, tool results as `<|user|>[tool] …<|end|>`.
 */
export const testkitChatTemplateJinja =
  "{{ '<s>' }}{% for message in messages %}" +
  "{% if message['role'] == 'system' %}{{ message['content'] + '\n' }}" +
  "{% elif message['role'] == 'user' %}{{ '<|user|>' + message['content'] + '<|end|>' }}" +
  "{% elif message['role'] == 'assistant' %}{{ '<|assistant|>' + message['content'] + '<|end|>' }}" +
  "{% else %}{{ '<|user|>[tool] ' + message['content'] + '<|end|>' }}{% endif %}" +
  "{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

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

/** The Hugging Face `tokenizer_config.json`: special tokens, no automatic BOS, and the chat template. */
export function tokenizerConfigJson(tokenizer: ByteLevelTokenizer, maximumLength: number): string {
  const json = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: '<s>',
    eos_token: '</s>',
    unk_token: null,
    pad_token: null,
    add_bos_token: false,
    add_eos_token: false,
    clean_up_tokenization_spaces: false,
    model_max_length: maximumLength,
    chat_template: testkitChatTemplateJinja,
    added_tokens_decoder: Object.fromEntries(
      tokenizer.specialTokens.map(({ text, id }) => [
        String(id),
        { content: text, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true },
      ]),
    ),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

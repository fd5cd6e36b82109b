import type { ByteLevelTokenizer } from '../tokenizer/byte-level-tokenizer.js';
import type { GgufValue } from './gguf-value.js';

const tokenTypes = { normal: 1, control: 3, unused: 5 } as const;

/**
 * The `tokenizer.ggml.*` keys of a testkit tokenizer: a `gpt2` byte-level BPE vocabulary with merges
 * and special token ids, padded to `vocabularySize` with unused placeholder tokens (llama.cpp takes the
 * vocabulary size from the token list, so it must match the embedding rows).
 */
export function tokenizerMetadata(
  tokenizer: ByteLevelTokenizer,
  vocabularySize: number,
): [string, GgufValue][] {
  const vocabulary = tokenizer.vocabulary();
  const texts = vocabulary.map((entry) => entry.text);
  const types: number[] = vocabulary.map((entry) =>
    entry.kind === 'special' ? tokenTypes.control : tokenTypes.normal,
  );
  for (let id = vocabulary.length; id < vocabularySize; id++) {
    texts.push(`<|placeholder_${id}|>`);
    types.push(tokenTypes.unused);
  }
  const textOf = (id: number) => vocabulary[id]?.text ?? '';
  return [
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: 'string', value: 'gpt-2' }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', values: texts }],
    ['tokenizer.ggml.token_type', { type: 'array', itemType: 'int32', values: types }],
    [
      'tokenizer.ggml.merges',
      {
        type: 'array',
        itemType: 'string',
        values: tokenizer.merges.map(([left, right]) => `${textOf(left)} ${textOf(right)}`),
      },
    ],
    ['tokenizer.ggml.bos_token_id', { type: 'uint32', value: tokenizer.specialTokenId('<s>') }],
    ['tokenizer.ggml.eos_token_id', { type: 'uint32', value: tokenizer.specialTokenId('</s>') }],
    ['tokenizer.ggml.eot_token_id', { type: 'uint32', value: tokenizer.specialTokenId('<|end|>') }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
  ];
}

import type { FamilyChatFormat } from '../chat/chat-format.js';
import type { ByteLevelTokenizer } from '../tokenizer/byte-level-tokenizer.js';
import type { GgufValue } from './gguf-value.js';

const tokenTypes = { normal: 1, control: 3, unused: 5 } as const;

/** The testkit tokenizer's own begin, end and end-of-turn tokens (the `llama` family's). */
const testkitSpecials = { bosToken: '<s>', eosToken: '</s>', endOfTurnToken: '<|end|>' } as const;

/** Which special tokens begin and end text and turns: a family chat format's fields. */
export type SpecialTokenRoles = Pick<FamilyChatFormat, 'bosToken' | 'eosToken' | 'endOfTurnToken'>;

/**
 * The `tokenizer.ggml.*` keys of a testkit tokenizer: a `gpt2` byte-level BPE vocabulary with merges
 * and special token ids, padded to `vocabularySize` with unused placeholder tokens (llama.cpp takes the
 * vocabulary size from the token list, so it must match the embedding rows). The BOS, EOS and EOT ids
 * are those of `roles` (a family's chat format) where the tokenizer has them, else the testkit
 * tokenizer's `<s>`, `</s>`, `<|end|>`; a role neither names is left out (Qwen, SmolLM2 and Phi-3 have
 * no BOS).
 */
export function tokenizerMetadata(
  tokenizer: ByteLevelTokenizer,
  vocabularySize: number,
  roles: SpecialTokenRoles = testkitSpecials,
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
  const metadata: [string, GgufValue][] = [
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
    ...specialIds(tokenizer, roles),
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
  ];
  return metadata;
}

function specialIds(tokenizer: ByteLevelTokenizer, roles: SpecialTokenRoles): [string, GgufValue][] {
  const ids = new Map(tokenizer.specialTokens.map((token) => [token.text, token.id]));
  const idOf = (text: string | undefined, fallback: string) =>
    (text !== undefined ? ids.get(text) : undefined) ?? ids.get(fallback);
  const entries: [string, number | undefined][] = [
    ['tokenizer.ggml.bos_token_id', idOf(roles.bosToken, testkitSpecials.bosToken)],
    ['tokenizer.ggml.eos_token_id', idOf(roles.eosToken, testkitSpecials.eosToken)],
    ['tokenizer.ggml.eot_token_id', idOf(roles.endOfTurnToken, testkitSpecials.endOfTurnToken)],
  ];
  return entries.flatMap(([key, id]): [string, GgufValue][] =>
    id === undefined ? [] : [[key, { type: 'uint32', value: id }]],
  );
}

import { type KVBackend, wrapBackend } from '@sirllm/core';
import {
  createReferenceBackend,
  createTinyLlama,
  createTokenizer,
  familyChatFormat,
  familyTokenizer,
  type ModelFamily,
} from '@sirllm/testkit';

/** A reference backend speaking a family's chat format, whose replies are scripted texts. */
export interface ScriptedFamilyBackend {
  readonly backend: KVBackend;
  /** The tokens resident in the cache, in order (the transcript, while nothing is evicted). */
  resident(): number[];
  /** The text the next reply generates (then the end-of-turn token). */
  scriptReply(text: string): void;
}

/**
 * The reference backend over a tiny model of `family`, with that family's tokenizer, special tokens
 * and chat template, and with every sampled token replaced by the scripted reply's tokens followed by
 * the family's end-of-turn token — the forward pass, the cache and the surprisal stay the model's own,
 * only the choice of the next token is scripted, so the replies are known text.
 *
 * The reference backend reads its BOS and end tokens from the testkit tokenizer's `<s>`, `</s>`,
 * `<|end|>`, so it keeps that tokenizer inside (the model's vocabulary covers both) and this wrapper
 * puts the family's tokenizer, special tokens and template in front of it.
 */
export function scriptedFamilyBackend(family: ModelFamily): ScriptedFamilyBackend {
  const format = familyChatFormat(family);
  const tokenizer = familyTokenizer(family);
  const vocabularySize = Math.max(tokenizer.vocabularySize, createTokenizer().vocabularySize);
  const reference = createReferenceBackend({ model: createTinyLlama({ family, layers: 1, vocabularySize }) });
  const endOfTurn = tokenizer.specialTokenId(format.endOfTurnToken);
  let pending: number[] = [];
  let resident: number[] = [];
  const backend = wrapBackend(reference, {
    overrideInfo: (info) => ({
      ...info,
      specialTokens: {
        ...(format.bosToken === undefined
          ? {}
          : { beginOfSequence: tokenizer.specialTokenId(format.bosToken) }),
        endOfGeneration: [...new Set([tokenizer.specialTokenId(format.eosToken), endOfTurn])],
      },
    }),
    overrideChatTemplate: () => format.template,
    tokenize: ({ text, options }) => tokenizer.encode(text, options),
    detokenize: ({ tokens }) => tokenizer.decode(tokens),
    sequence: {
      async append({ tokens, options, next }) {
        const result = await next(tokens, options);
        resident.push(...tokens);
        if (!result.next) return result;
        const token = pending.shift() ?? endOfTurn;
        return { ...result, next: { token, surprisal: result.next.surprisal } };
      },
      async retain({ keep, next }) {
        await next(keep);
        resident = Array.from(keep, (index) => resident[index] as number);
      },
    },
  });
  return {
    backend,
    resident: () => [...resident],
    scriptReply(text) {
      pending = tokenizer.encode(text);
    },
  };
}

import { InvalidOptionError } from '@sirllm/core';
import { isModelFamily, type ModelFamily, modelFamilies } from '../families/model-family.js';
import { ByteLevelTokenizer } from '../tokenizer/byte-level-tokenizer.js';
import { createTokenizer } from '../tokenizer/create-tokenizer.js';
import type { FamilyChatFormat } from './chat-format.js';
import { gemma3ChatFormat } from './gemma3-chat-format.js';
import { llama3ChatFormat } from './llama3-chat-format.js';
import { mistralChatFormat } from './mistral-chat-format.js';
import { phi3ChatFormat } from './phi3-chat-format.js';
import { qwen2ChatFormat } from './qwen2-chat-format.js';
import { qwen3ChatFormat } from './qwen3-chat-format.js';
import { smollm2ChatFormat } from './smollm2-chat-format.js';
import { testkitChatFormat } from './testkit-chat-template.js';

const formats: Record<ModelFamily, FamilyChatFormat> = {
  llama: testkitChatFormat,
  llama3: llama3ChatFormat,
  smollm2: smollm2ChatFormat,
  mistral: mistralChatFormat,
  qwen2: qwen2ChatFormat,
  qwen3: qwen3ChatFormat,
  phi3: phi3ChatFormat,
  gemma3: gemma3ChatFormat,
};

/**
 * A model family's chat format: its special tokens, BOS/EOS/end-of-turn, and its chat template as a
 * TypeScript renderer and as Jinja text (see {@link FamilyChatFormat}). `llama` is the testkit chat format.
 */
export function familyChatFormat(family: ModelFamily): FamilyChatFormat {
  if (!isModelFamily(family)) {
    throw new InvalidOptionError({
      option: 'family',
      value: family,
      expected: `one of ${modelFamilies.join(', ')}`,
    });
  }
  return formats[family];
}

const tokenizers = new Map<ModelFamily, ByteLevelTokenizer>();

/**
 * The testkit byte-level BPE tokenizer with a family's special tokens: the default tokenizer's bytes and
 * merges, then `familyChatFormat(family).specialTokens` in order. `llama` gets the default tokenizer
 * itself. Built once per family.
 */
export function familyTokenizer(family: ModelFamily): ByteLevelTokenizer {
  const format = familyChatFormat(family);
  if (family === 'llama') return createTokenizer();
  let tokenizer = tokenizers.get(family);
  if (!tokenizer) {
    tokenizer = new ByteLevelTokenizer(createTokenizer().merges, format.specialTokens);
    tokenizers.set(family, tokenizer);
  }
  return tokenizer;
}

/**
 * `format` when the tokenizer has its special tokens, else the testkit format (a testkit tokenizer given
 * for a model of another family): what the writers embed with a caller's tokenizer.
 */
export function chatFormatFitting(format: FamilyChatFormat, tokenizer: ByteLevelTokenizer): FamilyChatFormat {
  return format.specialTokens.every((text) => tokenizer.hasSpecialToken(text)) ? format : testkitChatFormat;
}

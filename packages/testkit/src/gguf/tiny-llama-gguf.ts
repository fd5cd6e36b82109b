import { InvalidOptionError } from '@sirllm/core';
import { chatFormatFitting, familyChatFormat, familyTokenizer } from '../chat/family-chat-formats.js';
import type { ModelFamily } from '../families/model-family.js';
import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';
import type { ByteLevelTokenizer } from '../tokenizer/byte-level-tokenizer.js';
import { createTokenizer } from '../tokenizer/create-tokenizer.js';
import { familyMetadata } from './families/family-metadata.js';
import { familyTensors } from './families/family-tensors.js';
import { ggufArchitectureOf } from './families/gguf-architecture.js';
import type { GgufValue } from './gguf-value.js';
import { tokenizerMetadata } from './tokenizer-metadata.js';
import { type GgufTensorType, ggufFileType, writeGguf } from './write-gguf.js';

/** Options of {@link tinyLlamaToGguf}. */
export interface TinyLlamaGgufOptions {
  /**
   * The tokenizer to embed; must not have more tokens than the model. Default: the family's testkit
   * tokenizer (`familyTokenizer`, with the family's special tokens) when it fits the model's vocabulary,
   * else `createTokenizer()`; for `llama` both are the testkit tokenizer.
   */
  readonly tokenizer?: ByteLevelTokenizer;
  /** Storage of the matrices (default `f32`); norm weights, biases and RoPE factors always stay f32. */
  readonly tensorType?: GgufTensorType;
  /** `general.name` (default `sirllm-tiny-llama`). */
  readonly name?: string;
  /**
   * `tokenizer.chat_template` (default: the Jinja of the family's chat format, `familyChatFormat`, or the
   * testkit format's when the tokenizer lacks the family's special tokens; `false` leaves it out).
   */
  readonly chatTemplate?: string | false;
  /** Extra metadata appended as is (e.g. to fake a capability of another architecture in tests). */
  readonly extraMetadata?: readonly (readonly [key: string, value: GgufValue])[];
}

/**
 * Writes a testkit model and tokenizer as a GGUF v3 file that llama.cpp loads, with the real GGUF
 * architecture of the model's family (`llama` for llama, llama3, smollm2 and mistral; `qwen2`, `qwen3`,
 * `phi3`, `gemma3`), its hyperparameter keys and llama.cpp's tensor names and layouts (see
 * `familyTensors`): the same weights as the reference backend runs. The vocabulary is a `gpt2`
 * byte-level BPE with merges, special token ids and a chat template; vocabulary slots beyond the
 * tokenizer's tokens are filled with unused placeholder tokens.
 */
export function tinyLlamaToGguf(model: TinyLlamaModel, options: TinyLlamaGgufOptions = {}): Uint8Array {
  const { config } = model;
  const tokenizer = options.tokenizer ?? defaultTokenizer(config.family, config.vocabularySize);
  const format = chatFormatFitting(familyChatFormat(config.family), tokenizer);
  const tensorType = options.tensorType ?? 'f32';
  if (tokenizer.vocabularySize > config.vocabularySize) {
    throw new InvalidOptionError({
      option: 'tokenizer',
      value: tokenizer.vocabularySize,
      expected: `a tokenizer with at most the model's ${config.vocabularySize} tokens`,
    });
  }
  const name = options.name ?? 'sirllm-tiny-llama';
  requireTokensNamedModelsNeed(name, tokenizer);
  const architecture = ggufArchitectureOf(config.family);
  const metadata: (readonly [string, GgufValue])[] = [
    ['general.architecture', { type: 'string', value: architecture }],
    ['general.name', { type: 'string', value: name }],
    ['general.file_type', { type: 'uint32', value: ggufFileType(tensorType) }],
    ...familyMetadata(config, architecture),
    ...tokenizerMetadata(tokenizer, config.vocabularySize, format),
  ];
  if (options.chatTemplate !== false) {
    metadata.push([
      'tokenizer.chat_template',
      { type: 'string', value: options.chatTemplate ?? format.jinja },
    ]);
  }
  metadata.push(...(options.extraMetadata ?? []));
  return writeGguf({ metadata, tensors: familyTensors(model, architecture, tensorType) });
}

function defaultTokenizer(family: ModelFamily, vocabularySize: number): ByteLevelTokenizer {
  const tokenizer = familyTokenizer(family);
  return tokenizer.vocabularySize <= vocabularySize ? tokenizer : createTokenizer();
}

/** Tokens llama.cpp's vocabulary loader looks up (and aborts the load without) for a model named Phi-3. */
const phi3NamedTokens = ['<unk>', '<s>', '</s>', '<|endoftext|>'];

/**
 * llama.cpp sets token attributes by `general.name`: a name containing `phi3` or `phi-3` makes it look
 * up Phi-3's special tokens, and a vocabulary without them fails to load ("error loading model
 * vocabulary"). Refuses such a name up front instead.
 */
function requireTokensNamedModelsNeed(name: string, tokenizer: ByteLevelTokenizer): void {
  const lower = name.toLowerCase();
  if (!lower.includes('phi3') && !lower.includes('phi-3')) return;
  const texts = new Set(tokenizer.vocabulary().map((entry) => entry.text));
  const missing = phi3NamedTokens.filter((text) => !texts.has(text));
  if (missing.length === 0) return;
  throw new InvalidOptionError({
    option: 'name',
    value: name,
    expected: `a name without "phi3" or "phi-3": llama.cpp then requires the tokens ${missing.join(', ')}, which this tokenizer lacks, and refuses to load the file`,
  });
}

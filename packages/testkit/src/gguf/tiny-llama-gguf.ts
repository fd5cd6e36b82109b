import { InvalidOptionError, type RopeScaling } from '@sirllm/core';
import { testkitChatTemplateJinja } from '../onnx/tokenizer-json.js';
import { layerTensorNames } from '../tiny-llama/tensor-names.js';
import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';
import type { ByteLevelTokenizer } from '../tokenizer/byte-level-tokenizer.js';
import { createTokenizer } from '../tokenizer/create-tokenizer.js';
import type { GgufValue } from './gguf-value.js';
import { permuteRowsForGgmlRope } from './rope-row-permutation.js';
import { type GgufTensor, type GgufTensorType, ggufFileType, writeGguf } from './write-gguf.js';

/** Options of {@link tinyLlamaToGguf}. */
export interface TinyLlamaGgufOptions {
  /** The tokenizer to embed (default: `createTokenizer()`); must not have more tokens than the model. */
  readonly tokenizer?: ByteLevelTokenizer;
  /** Storage of the matrices (default `f32`); norm weights always stay f32. */
  readonly tensorType?: GgufTensorType;
  /** `general.name` (default `sirllm-tiny-llama`). */
  readonly name?: string;
  /** `tokenizer.chat_template` (default: the testkit chat format, `testkitChatTemplateJinja`; `false` leaves it out). */
  readonly chatTemplate?: string | false;
  /** Extra metadata appended as is (e.g. to fake a capability of another architecture in tests). */
  readonly extraMetadata?: readonly (readonly [key: string, value: GgufValue])[];
}

const tokenTypes = { normal: 1, control: 3, unused: 5 } as const;

/**
 * Writes a testkit model and tokenizer as a llama-architecture GGUF v3 file that llama.cpp loads: the
 * same weights as the reference backend runs (queries and keys permuted to GGML's RoPE layout), a `gpt2`
 * byte-level BPE vocabulary with merges, special token ids and a chat template. Vocabulary slots beyond
 * the tokenizer's tokens are filled with unused placeholder tokens.
 */
export function tinyLlamaToGguf(model: TinyLlamaModel, options: TinyLlamaGgufOptions = {}): Uint8Array {
  const { config } = model;
  const tokenizer = options.tokenizer ?? createTokenizer();
  const tensorType = options.tensorType ?? 'f32';
  if (tokenizer.vocabularySize > config.vocabularySize) {
    throw new InvalidOptionError({
      option: 'tokenizer',
      value: tokenizer.vocabularySize,
      expected: `a tokenizer with at most the model's ${config.vocabularySize} tokens`,
    });
  }
  const rotaryDimensions = config.rope.rotaryDimensions ?? config.headDimension;
  const metadata: (readonly [string, GgufValue])[] = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: options.name ?? 'sirllm-tiny-llama' }],
    ['general.file_type', { type: 'uint32', value: ggufFileType(tensorType) }],
    ['llama.vocab_size', { type: 'uint32', value: config.vocabularySize }],
    ['llama.context_length', { type: 'uint32', value: config.maximumPositionEmbeddings }],
    ['llama.embedding_length', { type: 'uint32', value: config.hiddenSize }],
    ['llama.block_count', { type: 'uint32', value: config.layers }],
    ['llama.feed_forward_length', { type: 'uint32', value: config.intermediateSize }],
    ['llama.attention.head_count', { type: 'uint32', value: config.attentionHeads }],
    ['llama.attention.head_count_kv', { type: 'uint32', value: config.keyValueHeads }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'float32', value: config.rmsNormEpsilon }],
    ['llama.rope.freq_base', { type: 'float32', value: config.rope.theta }],
    ['llama.rope.dimension_count', { type: 'uint32', value: rotaryDimensions }],
    ...ropeScalingMetadata(config.rope.scaling),
    ...tokenizerMetadata(tokenizer, config.vocabularySize),
  ];
  if (options.chatTemplate !== false) {
    metadata.push([
      'tokenizer.chat_template',
      { type: 'string', value: options.chatTemplate ?? testkitChatTemplateJinja },
    ]);
  }
  metadata.push(...(options.extraMetadata ?? []));
  return writeGguf({ metadata, tensors: ggufTensors(model, tensorType) });
}

function ropeScalingMetadata(scaling: RopeScaling | undefined): [string, GgufValue][] {
  if (!scaling || scaling.type === 'none') return [];
  if (scaling.type === 'linear') {
    return [
      ['llama.rope.scaling.type', { type: 'string', value: 'linear' }],
      ['llama.rope.scaling.factor', { type: 'float32', value: scaling.factor }],
    ];
  }
  if (scaling.type === 'yarn') {
    return [
      ['llama.rope.scaling.type', { type: 'string', value: 'yarn' }],
      ['llama.rope.scaling.factor', { type: 'float32', value: scaling.factor }],
      [
        'llama.rope.scaling.original_context_length',
        { type: 'uint32', value: scaling.originalMaxPositionEmbeddings },
      ],
      ['llama.rope.scaling.yarn_beta_fast', { type: 'float32', value: scaling.betaFast ?? 32 }],
      ['llama.rope.scaling.yarn_beta_slow', { type: 'float32', value: scaling.betaSlow ?? 1 }],
    ];
  }
  throw new InvalidOptionError({
    option: 'model.config.rope.scaling',
    value: scaling.type,
    expected: 'no scaling, linear or yarn (the scalings this GGUF writer can express)',
  });
}

function tokenizerMetadata(tokenizer: ByteLevelTokenizer, vocabularySize: number): [string, GgufValue][] {
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

function ggufTensors(model: TinyLlamaModel, matrixType: GgufTensorType): GgufTensor[] {
  const { config } = model;
  const rotaryDimensions = config.rope.rotaryDimensions ?? config.headDimension;
  const tensor = (ggufName: string, huggingFaceName: string, permuteHeads?: number): GgufTensor => {
    const source = model.tensors.get(huggingFaceName);
    if (!source) {
      throw new InvalidOptionError({
        option: 'model.tensors',
        value: huggingFaceName,
        expected: 'a complete model',
      });
    }
    const data =
      permuteHeads === undefined
        ? source.data
        : permuteRowsForGgmlRope(source.data, permuteHeads, config.headDimension, rotaryDimensions);
    return {
      name: ggufName,
      dimensions: [...source.shape].reverse(),
      type: source.shape.length === 1 ? 'f32' : matrixType,
      data,
    };
  };
  const tensors = [tensor('token_embd.weight', 'model.embed_tokens.weight')];
  for (let layer = 0; layer < config.layers; layer++) {
    const names = layerTensorNames(layer);
    const block = `blk.${layer}`;
    tensors.push(
      tensor(`${block}.attn_norm.weight`, names.inputNorm),
      tensor(`${block}.attn_q.weight`, names.query, config.attentionHeads),
      tensor(`${block}.attn_k.weight`, names.key, config.keyValueHeads),
      tensor(`${block}.attn_v.weight`, names.value),
      tensor(`${block}.attn_output.weight`, names.output),
      tensor(`${block}.ffn_norm.weight`, names.feedForwardNorm),
      tensor(`${block}.ffn_gate.weight`, names.gate),
      tensor(`${block}.ffn_up.weight`, names.up),
      tensor(`${block}.ffn_down.weight`, names.down),
    );
  }
  tensors.push(tensor('output_norm.weight', 'model.norm.weight'));
  if (!config.tiedEmbeddings) tensors.push(tensor('output.weight', 'lm_head.weight'));
  return tensors;
}

import {
  BackendLifecycle,
  type ChatTemplate,
  type CreateSequenceOptions,
  InvalidOptionError,
  type KVBackend,
  type ModelInfo,
  optionalText,
  requireInteger,
  requireOptionsObject,
  type TokenizeOptions,
  unshiftableRopeScheme,
  validateRestoredTokens,
} from '@sirllm/core';
import type { FamilyChatFormat } from '../chat/chat-format.js';
import { chatFormatFitting, familyChatFormat, familyTokenizer } from '../chat/family-chat-formats.js';
import { createTinyLlama } from '../tiny-llama/create-tiny-llama.js';
import { modelFingerprint, modelFingerprintText } from '../tiny-llama/model-fingerprint.js';
import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';
import type { TinyLlamaOptions } from '../tiny-llama/tiny-llama-options.js';
import type { ByteLevelTokenizer } from '../tokenizer/byte-level-tokenizer.js';
import { layerRotaryTables } from './layer-rotary-tables.js';
import { LlamaForward } from './llama-forward.js';
import { resolveLlamaWeights } from './llama-weights.js';
import { ReferenceSequence, type SequenceContext } from './reference-sequence.js';
import { decodeSnapshot } from './snapshot-format.js';

/** Options of {@link createReferenceBackend}. */
export interface ReferenceBackendOptions {
  /** The model to run, or options to create one with `createTinyLlama` (default: `createTinyLlama()`). */
  readonly model?: TinyLlamaModel | TinyLlamaOptions;
  /** Default: the testkit tokenizer of the model's family (`familyTokenizer`). The model's vocabulary must cover it. */
  readonly tokenizer?: ByteLevelTokenizer;
  /**
   * The chat template and special tokens (default: the model family's, `familyChatFormat`); its special
   * tokens must be in the tokenizer.
   */
  readonly chatFormat?: FamilyChatFormat;
  /** Largest capacity `createSequence` accepts (default: the model's `maximumPositionEmbeddings`). */
  readonly maximumCapacity?: number;
  /** `info.name` (default: a description of the model). */
  readonly name?: string;
}

/**
 * An exact, pure-TypeScript {@link KVBackend}: a float64 Llama forward pass over an explicit KV cache,
 * with exact key re-rotation on compaction. The yardstick the other backends are measured against.
 */
export class ReferenceBackend implements KVBackend {
  readonly specificationVersion = 'v1' as const;
  readonly info: ModelInfo;
  readonly chatTemplate: ChatTemplate;
  /** The model the backend runs. */
  readonly model: TinyLlamaModel;
  /** The backend's tokenizer (`tokenizer`, else the model family's). */
  readonly tokenizer: ByteLevelTokenizer;
  /** Largest capacity `createSequence` accepts. */
  readonly maximumCapacity: number;
  readonly #lifecycle: BackendLifecycle<ReferenceSequence>;
  #context: SequenceContext | undefined;

  constructor(options: ReferenceBackendOptions = {}) {
    requireOptionsObject(options, ['model', 'tokenizer', 'chatFormat', 'maximumCapacity', 'name'], {
      what: 'createReferenceBackend',
      optional: true,
    });
    optionalText('name', options.name);
    if (options.model !== undefined && (typeof options.model !== 'object' || options.model === null)) {
      throw new InvalidOptionError({
        option: 'model',
        value: options.model,
        expected: 'a TinyLlamaModel or createTinyLlama options such as { layers: 2, seed: 1 }',
      });
    }
    const model =
      options.model && 'tensors' in options.model ? options.model : createTinyLlama(options.model);
    const { config } = model;
    resolveLlamaWeights(model);
    this.model = model;
    this.tokenizer = options.tokenizer ?? familyTokenizer(config.family);
    const format = options.chatFormat ?? chatFormatFitting(familyChatFormat(config.family), this.tokenizer);
    const missing = format.specialTokens.find((text) => !this.tokenizer.hasSpecialToken(text));
    if (missing !== undefined) {
      throw new InvalidOptionError({
        option: 'chatFormat',
        value: format.name,
        expected: `a chat format whose special tokens the tokenizer has (it lacks ${missing}); use familyTokenizer('${config.family}') with familyChatFormat('${config.family}')`,
      });
    }
    this.chatTemplate = format.template;
    if (this.tokenizer.vocabularySize > config.vocabularySize) {
      throw new InvalidOptionError({
        option: 'tokenizer',
        value: this.tokenizer.vocabularySize,
        expected: `at most the model's ${config.vocabularySize} tokens`,
      });
    }
    this.maximumCapacity = requireInteger(
      'maximumCapacity',
      options.maximumCapacity ?? config.maximumPositionEmbeddings,
      {
        minimum: 1,
      },
    );
    const scaling = config.rope.scaling?.type;
    this.info = {
      name:
        options.name ??
        `tiny-${config.family} (seed ${config.seed}, ${config.layers} layer${config.layers === 1 ? '' : 's'}, ` +
          `${config.hiddenSize} wide, ${config.attentionHeads}/${config.keyValueHeads} heads)`,
      architecture: config.family,
      fingerprint: modelFingerprintText(modelFingerprint(model)),
      vocabularySize: config.vocabularySize,
      trainedContextLength: config.maximumPositionEmbeddings,
      specialTokens: {
        ...(format.bosToken === undefined
          ? {}
          : { beginOfSequence: this.tokenizer.specialTokenId(format.bosToken) }),
        endOfGeneration: [
          ...new Set([
            this.tokenizer.specialTokenId(format.eosToken),
            this.tokenizer.specialTokenId(format.endOfTurnToken),
          ]),
        ],
      },
      rope: config.rope,
      positionShift: scaling === 'dynamic' || scaling === 'other' ? 'unsupported' : 'exact',
    };
    this.#lifecycle = new BackendLifecycle({
      info: this.info,
      positionScheme: unshiftableRopeScheme(config.rope),
      maximum: this.maximumCapacity,
    });
  }

  tokenize(text: string, options?: TokenizeOptions): number[] {
    this.#lifecycle.assertUsable();
    return this.tokenizer.encode(text, options);
  }

  /**
   * The text of `tokens`. Ids past the tokenizer's own tokens but inside the model's vocabulary (a Llama 3
   * model's 128,256 slots over the testkit tokenizer) are unused slots and decode to nothing, as llama.cpp
   * decodes a GGUF's `unused` tokens.
   */
  detokenize(tokens: readonly number[]): string {
    this.#lifecycle.assertUsable();
    const known = this.tokenizer.vocabularySize;
    const vocabularySize = this.model.config.vocabularySize;
    const used = tokens.filter(
      (token) => !(Number.isInteger(token) && token >= known && token < vocabularySize),
    );
    return this.tokenizer.decode(used);
  }

  async createSequence(options: CreateSequenceOptions): Promise<ReferenceSequence> {
    const capacity = this.#lifecycle.admit(options);
    return this.#lifecycle.register(new ReferenceSequence(this.#prepare(), capacity));
  }

  /** Rebuilds a sequence from `ReferenceSequence.snapshot` bytes of this same model. */
  async restoreSequence(snapshot: Uint8Array, options: CreateSequenceOptions): Promise<ReferenceSequence> {
    const capacity = this.#lifecycle.admit(options);
    const context = this.#prepare();
    const { config } = this.model;
    const contents = decodeSnapshot(snapshot, {
      modelFingerprint: context.modelFingerprint,
      layers: config.layers,
      rowWidth: config.keyValueHeads * config.headDimension,
      vocabularySize: config.vocabularySize,
      capacity,
    });
    validateRestoredTokens(snapshot, contents.tokens, { capacity, vocabularySize: config.vocabularySize });
    return this.#lifecycle.register(new ReferenceSequence(context, capacity, contents));
  }

  async dispose(): Promise<void> {
    await this.#lifecycle.dispose();
  }

  /** Builds the shared forward pass once (after `admit` has checked the backend can make sequences). */
  #prepare(): SequenceContext {
    this.#context ??= {
      forward: new LlamaForward(resolveLlamaWeights(this.model), layerRotaryTables(this.model.config)),
      modelFingerprint: modelFingerprint(this.model),
      lifecycle: this.#lifecycle,
    };
    return this.#context;
  }
}

/** An exact pure-TypeScript backend over a tiny seeded Llama model (see {@link ReferenceBackend}). */
export function createReferenceBackend(options: ReferenceBackendOptions = {}): ReferenceBackend {
  return new ReferenceBackend(options);
}

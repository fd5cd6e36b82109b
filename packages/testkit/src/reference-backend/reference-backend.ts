import {
  type ChatTemplate,
  type CreateSequenceOptions,
  DisposedError,
  InvalidOptionError,
  type KVBackend,
  type ModelInfo,
  optionalText,
  PositionShiftUnsupportedError,
  requireInteger,
  requireOptionsObject,
  type TokenizeOptions,
  validateRestoredTokens,
} from '@sirllm/core';
import { testkitChatTemplate } from '../chat/testkit-chat-template.js';
import { createTinyLlama } from '../tiny-llama/create-tiny-llama.js';
import { modelFingerprint } from '../tiny-llama/model-fingerprint.js';
import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';
import type { TinyLlamaOptions } from '../tiny-llama/tiny-llama-options.js';
import type { ByteLevelTokenizer } from '../tokenizer/byte-level-tokenizer.js';
import { createTokenizer } from '../tokenizer/create-tokenizer.js';
import { LlamaForward } from './llama-forward.js';
import { resolveLlamaWeights } from './llama-weights.js';
import { ReferenceSequence, type SequenceContext } from './reference-sequence.js';
import { RotaryTables } from './rotary-tables.js';
import { decodeSnapshot } from './snapshot-format.js';

/** Options of {@link createReferenceBackend}. */
export interface ReferenceBackendOptions {
  /** The model to run, or options to create one with `createTinyLlama` (default: `createTinyLlama()`). */
  readonly model?: TinyLlamaModel | TinyLlamaOptions;
  /** Default: the testkit tokenizer. The model's vocabulary must cover it. */
  readonly tokenizer?: ByteLevelTokenizer;
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
  readonly chatTemplate: ChatTemplate = testkitChatTemplate;
  readonly model: TinyLlamaModel;
  readonly tokenizer: ByteLevelTokenizer;
  readonly maximumCapacity: number;
  readonly #sequences = new Set<ReferenceSequence>();
  #context: SequenceContext | undefined;
  #disposed = false;

  constructor(options: ReferenceBackendOptions = {}) {
    requireOptionsObject(options, ['model', 'tokenizer', 'maximumCapacity', 'name'], {
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
    this.tokenizer = options.tokenizer ?? createTokenizer();
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
        `tiny-llama (seed ${config.seed}, ${config.layers} layer${config.layers === 1 ? '' : 's'}, ` +
          `${config.hiddenSize} wide, ${config.attentionHeads}/${config.keyValueHeads} heads)`,
      fingerprint: `tiny-llama:${modelFingerprint(model).toString(16).padStart(8, '0')}`,
      vocabularySize: config.vocabularySize,
      trainedContextLength: config.maximumPositionEmbeddings,
      specialTokens: {
        beginOfSequence: this.tokenizer.specialTokenId('<s>'),
        endOfGeneration: [this.tokenizer.specialTokenId('</s>'), this.tokenizer.specialTokenId('<|end|>')],
      },
      rope: config.rope,
      positionShift: scaling === 'dynamic' || scaling === 'other' ? 'unsupported' : 'exact',
    };
  }

  tokenize(text: string, options?: TokenizeOptions): number[] {
    this.#assertUsable();
    return this.tokenizer.encode(text, options);
  }

  detokenize(tokens: readonly number[]): string {
    this.#assertUsable();
    return this.tokenizer.decode(tokens);
  }

  async createSequence(options: CreateSequenceOptions): Promise<ReferenceSequence> {
    const context = this.#prepare(options);
    const sequence = new ReferenceSequence(context, this.#capacityOf(options));
    this.#sequences.add(sequence);
    return sequence;
  }

  /** Rebuilds a sequence from `ReferenceSequence.snapshot` bytes of this same model. */
  async restoreSequence(snapshot: Uint8Array, options: CreateSequenceOptions): Promise<ReferenceSequence> {
    const context = this.#prepare(options);
    const capacity = this.#capacityOf(options);
    const contents = decodeSnapshot(snapshot);
    const { config } = this.model;
    const matches =
      contents.modelFingerprint === context.modelFingerprint &&
      contents.layers === config.layers &&
      contents.rowWidth === config.keyValueHeads * config.headDimension &&
      contents.vocabularySize === config.vocabularySize;
    if (!matches) {
      throw new InvalidOptionError({
        option: 'snapshot',
        value: snapshot,
        expected: 'a snapshot taken with this model',
      });
    }
    validateRestoredTokens(snapshot, contents.tokens, { capacity, vocabularySize: config.vocabularySize });
    const sequence = new ReferenceSequence(context, capacity, contents);
    this.#sequences.add(sequence);
    return sequence;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const sequence of [...this.#sequences]) await sequence.dispose();
  }

  #assertUsable(): void {
    if (this.#disposed) throw new DisposedError({ resource: 'backend' });
  }

  #capacityOf(options: CreateSequenceOptions): number {
    return requireInteger('capacity', (options as CreateSequenceOptions | undefined)?.capacity, {
      minimum: 1,
      maximum: this.maximumCapacity,
    });
  }

  /** Checks the backend can make sequences and builds the shared forward pass once. */
  #prepare(options: CreateSequenceOptions): SequenceContext {
    this.#assertUsable();
    if (this.info.positionShift === 'unsupported') {
      const scaling = this.model.config.rope.scaling;
      const scheme = scaling?.type === 'other' ? scaling.name : 'dynamic NTK RoPE scaling';
      throw new PositionShiftUnsupportedError({ scheme, model: this.info.name });
    }
    this.#capacityOf(options);
    this.#context ??= {
      forward: new LlamaForward(resolveLlamaWeights(this.model), new RotaryTables(this.model.config.rope)),
      modelFingerprint: modelFingerprint(this.model),
      onDispose: (sequence) => this.#sequences.delete(sequence),
    };
    return this.#context;
  }
}

/** An exact pure-TypeScript backend over a tiny seeded Llama model (see {@link ReferenceBackend}). */
export function createReferenceBackend(options: ReferenceBackendOptions = {}): ReferenceBackend {
  return new ReferenceBackend(options);
}

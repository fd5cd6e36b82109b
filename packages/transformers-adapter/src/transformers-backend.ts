import {
  type ChatTemplate,
  type CreateSequenceOptions,
  DisposedError,
  InvalidOptionError,
  type KVBackend,
  type ModelInfo,
  PositionShiftUnsupportedError,
  requireInteger,
  type TokenizeOptions,
  validateRestoredTokens,
} from '@sirllm/core';
import type { DecoderRunner } from './decoder-runner.js';
import type { KeyRotator } from './key-rotator.js';
import type { PositionScheme } from './position-scheme.js';
import { decodeSequenceState } from './snapshot-format.js';
import { encodePlainText, type TokenizerLike, tokenizerChatTemplate } from './tokenizer-bridge.js';
import { type SequenceContext, TransformersSequence } from './transformers-sequence.js';

/** What {@link createTransformersBackend} hands the backend. */
export interface TransformersBackendParts {
  readonly info: ModelInfo;
  readonly runner: DecoderRunner;
  readonly tokenizer: TokenizerLike;
  readonly positionScheme: PositionScheme;
  readonly rotator: KeyRotator | undefined;
  readonly maximumCapacity: number;
  readonly chunkSize: number;
  readonly keepOriginalKeys: boolean;
  readonly release: () => Promise<void>;
}

/**
 * A {@link KVBackend} over a transformers.js causal LM (ONNX Runtime, CPU or WASM). Sequences own their
 * cache as typed arrays, score every fed position from the model's logits, and compact with exact key
 * re-rotation (see {@link TransformersSequence}). Make one with `createTransformersBackend`.
 */
export class TransformersBackend implements KVBackend {
  readonly specificationVersion = 'v1' as const;
  readonly info: ModelInfo;
  /**
   * The tokenizer's own chat format (`chat_template` of tokenizer_config.json, rendered by
   * transformers.js); absent when the model has none.
   */
  readonly chatTemplate?: ChatTemplate;
  /** Largest capacity `createSequence` accepts. */
  readonly maximumCapacity: number;
  /** True for graphs with a `position_ids` input; false for GroupQueryAttention-fused exports. */
  readonly hasPositionIds: boolean;
  readonly #parts: TransformersBackendParts;
  readonly #sequences = new Set<TransformersSequence>();
  #disposed = false;

  constructor(parts: TransformersBackendParts) {
    this.#parts = parts;
    this.info = parts.info;
    this.maximumCapacity = parts.maximumCapacity;
    this.hasPositionIds = parts.runner.layout.positionIds;
    const template = tokenizerChatTemplate(parts.tokenizer, () => this.#assertUsable());
    if (template) this.chatTemplate = template;
  }

  tokenize(text: string, options: TokenizeOptions = {}): number[] {
    this.#assertUsable();
    if (typeof text !== 'string')
      throw new InvalidOptionError({ option: 'text', value: text, expected: 'a string' });
    const tokenizer = this.#parts.tokenizer;
    return options.special
      ? tokenizer.encode(text, { add_special_tokens: false })
      : encodePlainText(tokenizer, text);
  }

  detokenize(tokens: readonly number[]): string {
    this.#assertUsable();
    // transformers.js 4.3 throws "token_ids must be a non-empty array of integers." on []; the seam says ''.
    if (tokens.length === 0) return '';
    return this.#parts.tokenizer.decode([...tokens], {
      skip_special_tokens: false,
      clean_up_tokenization_spaces: false,
    });
  }

  async createSequence(options: CreateSequenceOptions): Promise<TransformersSequence> {
    const sequence = new TransformersSequence(this.#prepare(), this.#capacityOf(options));
    this.#sequences.add(sequence);
    return sequence;
  }

  /** Rebuilds a sequence from `TransformersSequence.snapshot` bytes taken with this same model. */
  async restoreSequence(snapshot: Uint8Array, options: CreateSequenceOptions): Promise<TransformersSequence> {
    const context = this.#prepare();
    const capacity = this.#capacityOf(options);
    const state = decodeSequenceState(snapshot);
    const { layout, vocabularySize } = this.#parts.runner;
    const { geometry } = state.store;
    if (state.fingerprint !== this.info.fingerprint) {
      throw new InvalidOptionError({
        option: 'snapshot',
        value: snapshot,
        expected: `a snapshot of this model (fingerprint ${this.info.fingerprint}, snapshot has ${state.fingerprint})`,
      });
    }
    const matches =
      geometry.type === layout.type &&
      geometry.layers === layout.layers &&
      geometry.keyValueHeads === layout.keyValueHeads &&
      geometry.headDimension === layout.headDimension &&
      state.vocabularySize === vocabularySize;
    if ((state.store.originalKeys !== undefined) !== this.#parts.keepOriginalKeys) {
      throw new InvalidOptionError({
        option: 'snapshot',
        value: snapshot,
        expected: `a snapshot ${this.#parts.keepOriginalKeys ? 'with' : 'without'} original keys (same rotateFromOriginalKeys setting)`,
      });
    }
    if (!matches) {
      throw new InvalidOptionError({
        option: 'snapshot',
        value: snapshot,
        expected: `a ${layout.type} cache of ${layout.layers} layers × ${layout.keyValueHeads} heads × ${layout.headDimension} with this vocabulary`,
      });
    }
    validateRestoredTokens(snapshot, state.tokens, { capacity, vocabularySize });
    const sequence = new TransformersSequence(context, capacity, state);
    this.#sequences.add(sequence);
    return sequence;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const sequence of [...this.#sequences]) await sequence.dispose();
    await this.#parts.release();
  }

  #prepare(): SequenceContext {
    this.#assertUsable();
    const scheme = this.#parts.positionScheme;
    if (scheme.kind === 'absolute') {
      throw new PositionShiftUnsupportedError({ scheme: scheme.name, model: this.info.name });
    }
    if (scheme.kind === 'rope' && !this.#parts.rotator) {
      const scaling = scheme.settings.scaling;
      const name = scaling?.type === 'other' ? scaling.name : 'dynamic NTK RoPE scaling';
      throw new PositionShiftUnsupportedError({ scheme: name, model: this.info.name });
    }
    return {
      runner: this.#parts.runner,
      rotator: this.#parts.rotator,
      fingerprint: this.info.fingerprint,
      chunkSize: this.#parts.chunkSize,
      keepOriginalKeys: this.#parts.keepOriginalKeys,
      isDisposed: () => this.#disposed,
      onDispose: (sequence) => this.#sequences.delete(sequence),
    };
  }

  #capacityOf(options: CreateSequenceOptions): number {
    return requireInteger('capacity', options?.capacity, { minimum: 1, maximum: this.maximumCapacity });
  }

  #assertUsable(): void {
    if (this.#disposed) throw new DisposedError({ resource: 'backend' });
  }
}

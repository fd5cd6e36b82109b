import {
  BackendLifecycle,
  type ChatTemplate,
  type CreateSequenceOptions,
  InvalidOptionError,
  type KVBackend,
  type ModelInfo,
  type TokenizeOptions,
  unshiftableRopeScheme,
  validateRestoredTokens,
} from '@sirllm/core';
import type { DecoderRunner } from './decoder-runner.js';
import type { LayerRotators } from './layer-rotators.js';
import { type PositionScheme, unmovableLayerRope } from './position-scheme.js';
import { decodeSequenceState } from './snapshot-format.js';
import { encodePlainText, type TokenizerLike, tokenizerChatTemplate } from './tokenizer-bridge.js';
import { type SequenceContext, TransformersSequence } from './transformers-sequence.js';

/** Where a transformers.js backend runs its model. */
export type TransformersDevice = 'cpu' | 'wasm' | 'webgpu';

/** What {@link createTransformersBackend} hands the backend. */
export interface TransformersBackendParts {
  readonly info: ModelInfo;
  readonly runner: DecoderRunner;
  readonly tokenizer: TokenizerLike;
  readonly positionScheme: PositionScheme;
  readonly rotators: LayerRotators | undefined;
  readonly maximumCapacity: number;
  readonly chunkSize: number;
  readonly keepOriginalKeys: boolean;
  readonly device: TransformersDevice;
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
  /**
   * Where the model runs: `cpu` (onnxruntime-node), `wasm` (onnxruntime-web's WebAssembly build, on
   * Node or in a browser) or `webgpu` (a browser's GPU).
   */
  readonly device: TransformersDevice;
  readonly #parts: TransformersBackendParts;
  readonly #lifecycle: BackendLifecycle<TransformersSequence>;

  constructor(parts: TransformersBackendParts) {
    this.#parts = parts;
    this.info = parts.info;
    this.maximumCapacity = parts.maximumCapacity;
    this.hasPositionIds = parts.runner.layout.positionIds;
    this.device = parts.device;
    const scheme = parts.positionScheme;
    this.#lifecycle = new BackendLifecycle({
      info: parts.info,
      positionScheme:
        scheme.kind === 'absolute'
          ? scheme.name
          : unshiftableRopeScheme(
              scheme.kind === 'rope' ? (unmovableLayerRope(scheme) ?? scheme.settings) : undefined,
            ),
      maximum: parts.maximumCapacity,
    });
    const template = tokenizerChatTemplate(parts.tokenizer, () => this.#lifecycle.assertUsable());
    if (template) this.chatTemplate = template;
  }

  tokenize(text: string, options: TokenizeOptions = {}): number[] {
    this.#lifecycle.assertUsable();
    if (typeof text !== 'string')
      throw new InvalidOptionError({ option: 'text', value: text, expected: 'a string' });
    const tokenizer = this.#parts.tokenizer;
    return options.special
      ? tokenizer.encode(text, { add_special_tokens: false })
      : encodePlainText(tokenizer, text);
  }

  detokenize(tokens: readonly number[]): string {
    this.#lifecycle.assertUsable();
    // transformers.js 4.3 throws "token_ids must be a non-empty array of integers." on []; the seam says ''.
    if (tokens.length === 0) return '';
    return this.#parts.tokenizer.decode([...tokens], {
      skip_special_tokens: false,
      clean_up_tokenization_spaces: false,
    });
  }

  async createSequence(options: CreateSequenceOptions): Promise<TransformersSequence> {
    const capacity = this.#lifecycle.admit(options);
    return this.#lifecycle.register(new TransformersSequence(this.#context(), capacity));
  }

  /** Rebuilds a sequence from `TransformersSequence.snapshot` bytes taken with this same model. */
  async restoreSequence(snapshot: Uint8Array, options: CreateSequenceOptions): Promise<TransformersSequence> {
    const capacity = this.#lifecycle.admit(options);
    const { layout, vocabularySize } = this.#parts.runner;
    const state = decodeSequenceState(snapshot, {
      fingerprint: this.info.fingerprint,
      geometry: layout,
      vocabularySize,
      originalKeys: this.#parts.keepOriginalKeys,
      capacity,
    });
    validateRestoredTokens(snapshot, state.tokens, { capacity, vocabularySize });
    return this.#lifecycle.register(new TransformersSequence(this.#context(), capacity, state));
  }

  async dispose(): Promise<void> {
    await this.#lifecycle.dispose(() => this.#parts.release());
  }

  #context(): SequenceContext {
    return {
      runner: this.#parts.runner,
      rotators: this.#parts.rotators,
      fingerprint: this.info.fingerprint,
      chunkSize: this.#parts.chunkSize,
      keepOriginalKeys: this.#parts.keepOriginalKeys,
      lifecycle: this.#lifecycle,
    };
  }
}

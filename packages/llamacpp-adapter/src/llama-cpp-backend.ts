import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import type { LlamaModel } from 'node-llama-cpp';
import type { ChatMessage, FormatChatOptions, FormattedChat } from './chat-message.js';
import type { ContextPool } from './context-pool.js';
import { asTokens } from './evaluation-items.js';
import { chatTemplateOf, formatChat } from './format-chat.js';
import type { EvictionMode } from './llama-cpp-backend-options.js';
import { LlamaCppSequence } from './llama-cpp-sequence.js';
import type { SequenceHost } from './sequence-host.js';
import { decodeSnapshot } from './snapshot/snapshot-format.js';

/** Everything a backend is made of; built by `createLlamaCppBackend`. */
export interface LlamaCppBackendParts {
  readonly info: ModelInfo;
  readonly model: LlamaModel;
  readonly pool: ContextPool;
  readonly contextSize: number;
  readonly sequencesPerContext: number;
  readonly batchSize: number;
  readonly evictionMode: EvictionMode;
  /** The position scheme found at load (`rope`, `linear`, `yarn`, …). */
  readonly positionScheme: string;
  /** Runs at the end of `dispose` (releases what the backend owns: the model, the Llama instance). */
  readonly release: () => Promise<void>;
}

/**
 * A SirLLM {@link KVBackend} over node-llama-cpp: one loaded GGUF model, any number of independent
 * sequences (several per llama.cpp context). Create it with `createLlamaCppBackend`.
 */
export class LlamaCppBackend implements KVBackend {
  readonly specificationVersion = 'v1' as const;
  readonly info: ModelInfo;
  /** The largest `capacity` a sequence may have. */
  readonly contextSize: number;
  /** The model's own chat format, rendered through node-llama-cpp's chat wrappers. */
  readonly chatTemplate: ChatTemplate;
  readonly #parts: LlamaCppBackendParts;
  readonly #sequences = new Set<LlamaCppSequence>();
  readonly #host: SequenceHost;
  #temporaryFolder: Promise<string> | undefined;
  #temporaryCount = 0;
  #disposed = false;

  constructor(parts: LlamaCppBackendParts) {
    this.#parts = parts;
    this.info = parts.info;
    this.contextSize = parts.contextSize;
    this.chatTemplate = chatTemplateOf(parts.model);
    const backend = this;
    this.#host = {
      vocabularySize: parts.info.vocabularySize,
      batchSize: parts.batchSize,
      evictionMode: parts.evictionMode,
      fingerprint: parts.info.fingerprint,
      sequencesPerContext: parts.sequencesPerContext,
      get disposed() {
        return backend.#disposed;
      },
      temporaryFile: () => this.#temporaryFile(),
      release: (sequence) => this.#sequences.delete(sequence as LlamaCppSequence),
    };
  }

  /** The node-llama-cpp model this backend runs. */
  get model(): LlamaModel {
    return this.#parts.model;
  }

  tokenize(text: string, options: TokenizeOptions = {}): number[] {
    this.#assertUsable();
    return [...this.#parts.model.tokenize(text, options.special ?? false)];
  }

  detokenize(tokens: readonly number[]): string {
    this.#assertUsable();
    return this.#parts.model.detokenize(asTokens(tokens), true);
  }

  /** Renders a conversation with the model's own chat template (see {@link ChatMessage}). */
  formatChat(messages: readonly ChatMessage[], options?: FormatChatOptions): FormattedChat {
    this.#assertUsable();
    return formatChat(this.#parts.model, messages, options);
  }

  async createSequence(options: CreateSequenceOptions): Promise<LlamaCppSequence> {
    this.#assertUsable();
    const capacity = this.#validateCapacity(options?.capacity);
    if (this.info.positionShift === 'unsupported') {
      throw new PositionShiftUnsupportedError({ scheme: this.#parts.positionScheme, model: this.info.name });
    }
    const sequence = new LlamaCppSequence(this.#host, await this.#parts.pool.acquire(), capacity);
    if (this.#disposed) {
      await sequence.dispose();
      throw new DisposedError({ resource: 'llama.cpp backend' });
    }
    this.#sequences.add(sequence);
    return sequence;
  }

  /**
   * A new sequence holding the state of `LlamaCppSequence.snapshot` bytes. Everything is validated
   * first (checksum, format version, model fingerprint, token ids, capacity): truncated, altered or
   * foreign bytes reject with `InvalidOptionError`, too many tokens with `CapacityExceededError`, and
   * nothing reaches llama.cpp. Existing sequences are never touched.
   */
  async restoreSequence(snapshot: Uint8Array, options: CreateSequenceOptions): Promise<LlamaCppSequence> {
    this.#assertUsable();
    const capacity = this.#validateCapacity(options?.capacity);
    const content = decodeSnapshot(snapshot, {
      fingerprint: this.info.fingerprint,
      sequencesPerContext: this.#parts.sequencesPerContext,
      vocabularySize: this.info.vocabularySize,
    });
    validateRestoredTokens(snapshot, content.tokens, { capacity }); // ids were checked while decoding
    const sequence = await this.createSequence({ capacity });
    try {
      await sequence.load(content.tokens, content.evaluated, content.state);
    } catch (error) {
      await sequence.dispose();
      throw error;
    }
    return sequence;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const sequence of [...this.#sequences]) await sequence.dispose();
    await this.#parts.pool.dispose();
    await this.#parts.release();
    const folder = this.#temporaryFolder;
    if (folder) await rm(await folder, { recursive: true, force: true });
  }

  #validateCapacity(capacity: unknown): number {
    const value = requireInteger('capacity', capacity, { minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
    if (value > this.contextSize) {
      throw new InvalidOptionError({
        option: 'capacity',
        value,
        expected: `an integer in [1, ${this.contextSize}] (the backend's contextSize; create the backend with a larger contextSize for more)`,
      });
    }
    return value;
  }

  async #temporaryFile(): Promise<string> {
    this.#temporaryFolder ??= mkdtemp(join(tmpdir(), 'sirllm-llamacpp-'));
    return join(await this.#temporaryFolder, `state-${++this.#temporaryCount}.bin`);
  }

  #assertUsable(): void {
    if (this.#disposed) throw new DisposedError({ resource: 'llama.cpp backend' });
  }
}

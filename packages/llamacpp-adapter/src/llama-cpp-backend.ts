import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BackendLifecycle,
  CapabilityUnsupportedError,
  type ChatTemplate,
  type CreateSequenceOptions,
  InvalidOptionError,
  type JsonSchema,
  type KVBackend,
  type ModelInfo,
  type TokenizeOptions,
  validateRestoredTokens,
} from '@sirllm/core';
import type { GbnfJsonSchema, LlamaGrammar, LlamaModel } from 'node-llama-cpp';
import type { ChatMessage, FormatChatOptions, FormattedChat } from './chat-message.js';
import type { ContextPool } from './context-pool.js';
import { asTokens } from './evaluation-items.js';
import { chatTemplateOf, formatChat } from './format-chat.js';
import { toGrammarJsonSchema } from './grammar/grammar-json-schema.js';
import { grammarTokenCheck } from './grammar/grammar-token-check.js';
import { type ConstraintHost, LlamaCppConstraint } from './grammar/llama-cpp-constraint.js';
import { tightenJsonGrammar } from './grammar/tighten-json-grammar.js';
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
  readonly #lifecycle: BackendLifecycle<LlamaCppSequence>;
  readonly #host: SequenceHost;
  #constraintHost: ConstraintHost | undefined;
  #temporaryFolder: Promise<string> | undefined;
  #temporaryCount = 0;

  constructor(parts: LlamaCppBackendParts) {
    this.#parts = parts;
    this.info = parts.info;
    this.contextSize = parts.contextSize;
    this.chatTemplate = chatTemplateOf(parts.model);
    this.#lifecycle = new BackendLifecycle({
      info: parts.info,
      positionScheme: parts.positionScheme,
      maximum: parts.contextSize,
      note: "the backend's contextSize; create the backend with a larger contextSize for more",
      resource: 'llama.cpp backend',
      sequenceResource: 'llama.cpp sequence',
    });
    const backend = this;
    this.#host = {
      vocabularySize: parts.info.vocabularySize,
      batchSize: parts.batchSize,
      evictionMode: parts.evictionMode,
      fingerprint: parts.info.fingerprint,
      sequencesPerContext: parts.sequencesPerContext,
      get constraints() {
        return backend.#constraints();
      },
      lifecycle: this.#lifecycle,
      temporaryFile: () => this.#temporaryFile(),
    };
  }

  /** The node-llama-cpp model this backend runs. */
  get model(): LlamaModel {
    return this.#parts.model;
  }

  tokenize(text: string, options: TokenizeOptions = {}): number[] {
    this.#lifecycle.assertUsable();
    return [...this.#parts.model.tokenize(text, options.special ?? false)];
  }

  detokenize(tokens: readonly number[]): string {
    this.#lifecycle.assertUsable();
    return this.#parts.model.detokenize(asTokens(tokens), true);
  }

  /** Renders a conversation with the model's own chat template (see {@link ChatMessage}). */
  formatChat(messages: readonly ChatMessage[], options?: FormatChatOptions): FormattedChat {
    this.#lifecycle.assertUsable();
    return formatChat(this.#parts.model, messages, options);
  }

  async createSequence(options: CreateSequenceOptions): Promise<LlamaCppSequence> {
    const capacity = this.#lifecycle.admit(options);
    const context = await this.#parts.pool.acquire();
    return this.#lifecycle.register(new LlamaCppSequence(this.#host, context, capacity));
  }

  /**
   * A new sequence holding the state of `LlamaCppSequence.snapshot` bytes. Everything is validated
   * first (checksum, format version, model fingerprint, token ids, capacity): truncated, altered or
   * foreign bytes reject with `InvalidOptionError`, too many tokens with `CapacityExceededError`, and
   * nothing reaches llama.cpp. Existing sequences are never touched.
   */
  async restoreSequence(snapshot: Uint8Array, options: CreateSequenceOptions): Promise<LlamaCppSequence> {
    const capacity = this.#lifecycle.admit(options);
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

  /**
   * Constrained sampling: compiles a JSON schema into a llama.cpp grammar (node-llama-cpp's
   * `createGrammarForJsonSchema`) for `append`'s and `MemorySession.generate`'s `constraint` option.
   * The schema is first rewritten into the subset node-llama-cpp understands (`anyOf` → `oneOf`,
   * `{}` → any value, …; see `toGrammarJsonSchema`); numeric ranges and `pattern` are not enforced,
   * and every listed property is generated, optional or not. Rejects with `InvalidOptionError` for a
   * schema that cannot become a grammar, and with `CapabilityUnsupportedError` for a model without an
   * end-of-generation token (needed to tell where the grammar is complete).
   */
  async compileJsonSchema(schema: JsonSchema): Promise<LlamaCppConstraint> {
    this.#lifecycle.assertUsable();
    const host = this.#constraints();
    const grammarSchema = toGrammarJsonSchema(schema);
    let grammar: LlamaGrammar;
    try {
      // node-llama-cpp types the schema for inference of the parsed value; the translated schema is
      // only known at run time.
      const compile = this.#parts.model.llama.createGrammarForJsonSchema as (
        schema: GbnfJsonSchema,
      ) => Promise<LlamaGrammar>;
      const generated = await compile.call(this.#parts.model.llama, grammarSchema as GbnfJsonSchema);
      grammar = await this.#parts.model.llama.createGrammar({
        grammar: tightenJsonGrammar(generated.grammar),
        rootRuleName: generated.rootRuleName,
      });
    } catch (error) {
      throw new InvalidOptionError({
        option: 'schema',
        value: schema,
        expected: `a JSON schema llama.cpp can turn into a grammar (${error instanceof Error ? error.message : String(error)})`,
      });
    }
    const text = JSON.stringify(schema);
    return new LlamaCppConstraint(
      host,
      grammar,
      `JSON schema ${text.length > 120 ? `${text.slice(0, 117)}...` : text}`,
    );
  }

  async dispose(): Promise<void> {
    // Every step runs even when one throws (the lifecycle throws the errors afterwards).
    await this.#lifecycle.dispose(
      () => this.#parts.pool.dispose(),
      () => this.#parts.release(),
      async () => {
        const folder = this.#temporaryFolder;
        if (folder) await rm(await folder, { recursive: true, force: true });
      },
    );
  }

  /** What constraints need from this backend, checked once (grammar support, an end token). */
  #constraints(): ConstraintHost {
    if (this.#constraintHost) return this.#constraintHost;
    const endTokens = new Set(this.info.specialTokens.endOfGeneration);
    if (endTokens.size === 0) {
      throw new CapabilityUnsupportedError({
        capability: 'constrained sampling for a model without an end-of-generation token',
        backend: this.info.name,
        hint: 'The grammar can only say where a text is complete through an end token; use a model whose GGUF declares tokenizer.ggml.eos_token_id.',
      });
    }
    const lifecycle = this.#lifecycle;
    const { model } = this.#parts;
    this.#constraintHost = {
      model,
      vocabularySize: this.info.vocabularySize,
      endTokens,
      check: grammarTokenCheck(model.llama, this.info.name),
      get disposed() {
        return lifecycle.disposed;
      },
    };
    return this.#constraintHost;
  }

  async #temporaryFile(): Promise<string> {
    this.#temporaryFolder ??= mkdtemp(join(tmpdir(), 'sirllm-llamacpp-'));
    return join(await this.#temporaryFolder, `state-${++this.#temporaryCount}.bin`);
  }
}

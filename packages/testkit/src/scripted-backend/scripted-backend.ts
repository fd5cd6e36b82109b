import {
  type ChatTemplate,
  type CreateSequenceOptions,
  DisposedError,
  InvalidOptionError,
  type JsonSchema,
  type KVBackend,
  type ModelInfo,
  optionalFunction,
  optionalText,
  requireInteger,
  requireOptionsObject,
  type SamplingConstraint,
  type TokenizeOptions,
} from '@sirllm/core';
import { modularScript } from './modular-script.js';
import type { Script } from './script.js';
import { ScriptedSequence } from './scripted-sequence.js';
import { letterVocabulary } from './vocabularies.js';

/** Options of {@link createScriptedBackend}. */
export interface ScriptedBackendOptions {
  /** Token texts: `vocabulary[id]` (default `letterVocabulary(64)`). Texts may repeat. */
  readonly vocabulary?: readonly string[];
  /** Texts of `vocabulary` that `tokenize` matches only with `{ special: true }` (e.g. `'<|end|>'`). */
  readonly specialTexts?: readonly string[];
  /** The rules (default `modularScript()`); `backend.script` may be replaced between calls. */
  readonly script?: Script;
  /** `info.specialTokens.endOfGeneration` (default none). */
  readonly endOfGeneration?: readonly number[];
  /** `info.specialTokens.beginOfSequence` (default none). */
  readonly beginOfSequence?: number;
  /** `info.name` (default `'scripted'`). */
  readonly name?: string;
  /** The backend's `chatTemplate`; without it the backend has none. */
  readonly chatTemplate?: ChatTemplate;
  /**
   * The backend's `compileJsonSchema`; without it the backend has none (constrained sampling
   * unsupported). Sequences honour any `ConstraintState` given to `append`.
   */
  readonly compileJsonSchema?: (schema: JsonSchema) => Promise<SamplingConstraint>;
}

const knownOptions = [
  'vocabulary',
  'specialTexts',
  'script',
  'endOfGeneration',
  'beginOfSequence',
  'name',
  'chatTemplate',
  'compileJsonSchema',
] as const;

/**
 * A `KVBackend` without a model, for tests of code above the seam (the engine, integrations, your own
 * application): the numbers come from a {@link Script}, so a test can predict every surprisal, sampled
 * token and argmax by hand, and count what the engine asked for (`calls`, `sequences`).
 *
 * It keeps the seam's contract where it does not depend on a model: compact positions, `retain`
 * semantics (after an eviction the script sees only the kept tokens), atomic `append` (abort or error
 * leaves the sequence as it was), capacity and bad-input errors, `DisposedError` after `dispose`,
 * `detokenize([])` is `''` and decoding is concatenation. Tokenization is greedy longest match over the
 * vocabulary; a character no token spells is an `InvalidOptionError`.
 *
 * It does not pass `runBackendConformance`: that suite compares surprisal with a tiny Llama's forward pass
 * (and checks RoPE compaction and seeded sampling against it), which a script does not model. Sampling
 * options other than `constraint` are ignored (`next` is always the script's pick, or with a constraint
 * the first allowed token from it upward, cyclically). It has no snapshots (`restoreSequence`,
 * `KVSequence.snapshot`); `chatTemplate` and `compileJsonSchema` only when given.
 */
export class ScriptedBackend implements KVBackend {
  readonly specificationVersion = 'v1' as const;
  readonly info: ModelInfo;
  /** Token texts: `vocabulary[id]`. */
  readonly vocabulary: readonly string[];
  /** The rules every sequence follows; may be replaced between calls. */
  script: Script;
  /** Called before each fed token with its index in the call: lets a test abort or fail mid-call. */
  beforeToken: (index: number) => void = () => {};
  /** Calls the backend's sequences completed: appends, retains, and tokens appended. */
  readonly calls = {
    /** Completed `append` calls. */
    append: 0,
    /** Completed `retain` calls. */
    retain: 0,
    /** Tokens fed by the completed `append` calls. */
    appendedTokens: 0,
  };
  /** Every sequence `createSequence` made, in order (disposed ones included). */
  readonly sequences: ScriptedSequence[] = [];
  declare readonly chatTemplate?: ChatTemplate;
  declare readonly compileJsonSchema?: (schema: JsonSchema) => Promise<SamplingConstraint>;
  readonly #ids = new Map<string, number>();
  readonly #specialIds = new Map<string, number>();
  readonly #longest: number;
  #disposed = false;

  constructor(options: ScriptedBackendOptions = {}) {
    const {
      vocabulary = letterVocabulary(),
      specialTexts = [],
      script = modularScript(),
      endOfGeneration = [],
      beginOfSequence,
      name = 'scripted',
      chatTemplate,
      compileJsonSchema,
    } = requireOptionsObject(options, [...knownOptions], {
      what: 'createScriptedBackend options',
      optional: true,
    });
    if (
      !Array.isArray(vocabulary) ||
      vocabulary.length === 0 ||
      vocabulary.some((text) => typeof text !== 'string' || text === '')
    ) {
      throw new InvalidOptionError({
        option: 'vocabulary',
        value: vocabulary,
        expected: 'a non-empty list of non-empty texts',
      });
    }
    optionalText('name', name);
    optionalFunction('compileJsonSchema', compileJsonSchema);
    for (const [option, tokens] of [
      ['endOfGeneration', endOfGeneration],
      ['beginOfSequence', beginOfSequence === undefined ? [] : [beginOfSequence]],
    ] as const) {
      for (const token of tokens)
        requireInteger(option, token, { minimum: 0, maximum: vocabulary.length - 1 });
    }
    this.vocabulary = [...vocabulary];
    this.script = script;
    vocabulary.forEach((text, id) => {
      const table = specialTexts.includes(text) ? this.#specialIds : this.#ids;
      if (!table.has(text)) table.set(text, id);
    });
    this.#longest = Math.max(...vocabulary.map((text) => text.length));
    this.info = {
      name,
      fingerprint: `scripted:${name}:${vocabulary.length}`,
      vocabularySize: vocabulary.length,
      trainedContextLength: 1 << 20,
      specialTokens: {
        endOfGeneration: [...endOfGeneration],
        ...(beginOfSequence === undefined ? {} : { beginOfSequence }),
      },
      positionShift: 'exact',
    };
    if (chatTemplate !== undefined)
      Object.defineProperty(this, 'chatTemplate', { value: chatTemplate, enumerable: true });
    if (compileJsonSchema !== undefined) {
      Object.defineProperty(this, 'compileJsonSchema', { value: compileJsonSchema, enumerable: true });
    }
  }

  /** The id of the first token spelled `text` (special texts included). */
  idOf(text: string): number {
    const id = this.#ids.get(text) ?? this.#specialIds.get(text);
    if (id === undefined)
      throw new InvalidOptionError({ option: 'text', value: text, expected: 'a token of the vocabulary' });
    return id;
  }

  /** Greedy longest match over the vocabulary; special texts only with `{ special: true }`. */
  tokenize(text: string, options: TokenizeOptions = {}): number[] {
    const tokens: number[] = [];
    let at = 0;
    while (at < text.length) {
      const match = this.#longestMatch(text, at, options.special === true);
      if (!match) {
        throw new InvalidOptionError({
          option: 'text',
          value: text,
          expected: `text the vocabulary spells (no token for ${JSON.stringify(text[at])})`,
        });
      }
      tokens.push(match.id);
      at += match.length;
    }
    return tokens;
  }

  #longestMatch(text: string, at: number, special: boolean): { id: number; length: number } | undefined {
    for (let length = Math.min(this.#longest, text.length - at); length > 0; length--) {
      const piece = text.slice(at, at + length);
      const id = (special ? this.#specialIds.get(piece) : undefined) ?? this.#ids.get(piece);
      if (id !== undefined) return { id, length };
    }
    return undefined;
  }

  detokenize(tokens: readonly number[]): string {
    return tokens.map((token) => this.vocabulary[token] ?? '').join('');
  }

  async createSequence(options: CreateSequenceOptions): Promise<ScriptedSequence> {
    if (this.#disposed) throw new DisposedError({ resource: 'backend' });
    const { capacity } = requireOptionsObject(options, ['capacity'], { what: 'createSequence options' });
    requireInteger('capacity', capacity, { minimum: 1 });
    const sequence = new ScriptedSequence(this, capacity);
    this.sequences.push(sequence);
    return sequence;
  }

  /** Disposes every sequence; later calls reject with `DisposedError`. Idempotent. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const sequence of this.sequences) await sequence.dispose();
  }
}

/** A {@link ScriptedBackend} (checks `options` for plain JavaScript callers). */
export function createScriptedBackend(options: ScriptedBackendOptions = {}): ScriptedBackend {
  return new ScriptedBackend(options);
}

import type { ChatTemplate } from '../seam/chat-template.js';
import type { CreateSequenceOptions, TokenizeOptions } from '../seam/kv-backend.js';
import type { KVSequence } from '../seam/kv-sequence.js';
import type { ModelInfo } from '../seam/model-info.js';
import type { JsonSchema, SamplingConstraint } from '../seam/sampling-constraint.js';
import type { SequenceMiddleware } from './sequence-middleware.js';

/** The optional members of the seam a middleware may remove (see {@link BackendMiddleware.omit}). */
export type OptionalCapability = 'chatTemplate' | 'restoreSequence' | 'compileJsonSchema' | 'snapshot';

/**
 * What {@link wrapBackend} changes about a backend. Every member is optional; a middleware with none
 * gives a backend that behaves exactly like the wrapped one.
 *
 * Method hooks receive one object: the call's arguments and `next`, which runs the rest of the chain (the
 * next middleware, then the wrapped backend). A hook may change the arguments it passes to `next`, change
 * what `next` returns, or answer without calling it.
 *
 * Capabilities (the seam's optional members) follow the wrapped backend: a hook for `restoreSequence`,
 * `compileJsonSchema` or `snapshot` runs only where the wrapped backend or sequence has that member, and
 * a wrapper never adds one the backend lacks. Only two members change the set, and only on purpose:
 * `omit` removes capabilities, and `overrideChatTemplate` may add, replace or remove the chat template.
 */
export interface BackendMiddleware {
  /** Capabilities the wrapper leaves out even where the wrapped backend has them (e.g. to test a fallback). */
  readonly omit?: readonly OptionalCapability[];
  /** The wrapper's `info`, from the wrapped backend's. Called once, by `wrapBackend`. */
  overrideInfo?(info: ModelInfo): ModelInfo;
  /**
   * The wrapper's chat template, from the wrapped backend's (`undefined` where it has none, or where
   * `omit` names `chatTemplate`). Return `undefined` for a wrapper without one. Called once, by `wrapBackend`.
   */
  overrideChatTemplate?(template: ChatTemplate | undefined): ChatTemplate | undefined;
  /** Around `tokenize`. */
  tokenize?(call: {
    readonly text: string;
    readonly options: TokenizeOptions | undefined;
    readonly next: (text: string, options?: TokenizeOptions) => number[];
  }): number[];
  /** Around `detokenize`. */
  detokenize?(call: {
    readonly tokens: readonly number[];
    readonly next: (tokens: readonly number[]) => string;
  }): string;
  /**
   * Around `createSequence`. What it returns is then wrapped by {@link BackendMiddleware.sequence}, so a
   * hook that remembers the sequences `next` hands out sees the wrapped backend's own objects.
   */
  createSequence?(call: {
    readonly options: CreateSequenceOptions;
    readonly next: (options: CreateSequenceOptions) => Promise<KVSequence>;
  }): Promise<KVSequence>;
  /** Around `restoreSequence`, where the wrapped backend has it; its result is wrapped like `createSequence`'s. */
  restoreSequence?(call: {
    readonly snapshot: Uint8Array;
    readonly options: CreateSequenceOptions;
    readonly next: (snapshot: Uint8Array, options: CreateSequenceOptions) => Promise<KVSequence>;
  }): Promise<KVSequence>;
  /** Around `compileJsonSchema`, where the wrapped backend has it. */
  compileJsonSchema?(call: {
    readonly schema: JsonSchema;
    readonly next: (schema: JsonSchema) => Promise<SamplingConstraint>;
  }): Promise<SamplingConstraint>;
  /** Around the backend's `dispose`. */
  dispose?(call: { readonly next: () => Promise<void> }): Promise<void>;
  /**
   * Hooks around every sequence's members. Without it (and without `omit: ['snapshot']`) the wrapper hands
   * out the wrapped backend's sequences themselves.
   */
  readonly sequence?: SequenceMiddleware;
}

import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { KVBackend } from '../seam/kv-backend.js';
import type { KVSequence } from '../seam/kv-sequence.js';
import { optionalFunction, requireOptionsObject } from '../validation/options-object.js';
import type { BackendMiddleware, OptionalCapability } from './backend-middleware.js';
import type { SequenceMiddleware } from './sequence-middleware.js';
import { wrapSequence } from './wrap-sequence.js';

const middlewareHooks = [
  'overrideInfo',
  'overrideChatTemplate',
  'tokenize',
  'detokenize',
  'createSequence',
  'restoreSequence',
  'compileJsonSchema',
  'dispose',
] as const;
const sequenceHooks = ['append', 'retain', 'snapshot', 'dispose'] as const;
const capabilities: readonly OptionalCapability[] = [
  'chatTemplate',
  'restoreSequence',
  'compileJsonSchema',
  'snapshot',
];

/**
 * A backend that forwards every member of `backend` — `specificationVersion`, `info`, `tokenize`,
 * `detokenize`, `createSequence`, `dispose`, and each optional member (`chatTemplate`, `restoreSequence`,
 * `compileJsonSchema`, and `snapshot` on its sequences) exactly where `backend` has it — through the hooks
 * of `middleware` (see {@link BackendMiddleware}). Sequences made by `createSequence` and by
 * `restoreSequence` both go through `middleware.sequence`.
 *
 * Given a list, the first middleware is the outermost: it sees each call first and each result last; the
 * last one wraps `backend` directly. The set of capabilities is read once, here: a member `backend` gains
 * later is not forwarded. Only the seam's members are forwarded, not a backend's own extras (a
 * `ReferenceSequence`'s `nextTokenLogits`, say): keep the original object to reach those.
 *
 * @throws InvalidOptionError for a `backend` that is not an object, or a middleware with an unknown member
 *   (named, with the closest known one) or a hook that is not a function.
 */
export function wrapBackend(
  backend: KVBackend,
  middleware: BackendMiddleware | readonly BackendMiddleware[],
): KVBackend {
  if (backend === null || typeof backend !== 'object') {
    throw new InvalidOptionError({ option: 'backend', value: backend, expected: 'a KVBackend object' });
  }
  const layers = Array.isArray(middleware) ? middleware : [middleware as BackendMiddleware];
  return layers.reduceRight<KVBackend>((inner, layer) => wrapOnce(inner, checkedMiddleware(layer)), backend);
}

function wrapOnce(backend: KVBackend, middleware: BackendMiddleware): KVBackend {
  const omitted = new Set(middleware.omit ?? []);
  const has = (capability: OptionalCapability, member: unknown) =>
    member !== undefined && !omitted.has(capability);
  const info = middleware.overrideInfo ? middleware.overrideInfo(backend.info) : undefined;
  const ownTemplate = has('chatTemplate', backend.chatTemplate) ? backend.chatTemplate : undefined;
  const chatTemplate = middleware.overrideChatTemplate
    ? middleware.overrideChatTemplate(ownTemplate)
    : ownTemplate;
  const sequenceMiddleware: SequenceMiddleware = middleware.sequence ?? {};
  const withSnapshot = !omitted.has('snapshot');
  const wrapped = (origin: 'create' | 'restore') => (sequence: KVSequence) =>
    wrapSequence(sequence, sequenceMiddleware, { origin, withSnapshot });
  const { tokenize, detokenize, createSequence, restoreSequence, compileJsonSchema, dispose } = middleware;
  const restore = has('restoreSequence', backend.restoreSequence)
    ? (backend.restoreSequence as NonNullable<KVBackend['restoreSequence']>).bind(backend)
    : undefined;
  const compile = has('compileJsonSchema', backend.compileJsonSchema)
    ? (backend.compileJsonSchema as NonNullable<KVBackend['compileJsonSchema']>).bind(backend)
    : undefined;
  return {
    get specificationVersion() {
      return backend.specificationVersion;
    },
    get info() {
      return info ?? backend.info;
    },
    ...(chatTemplate !== undefined ? { chatTemplate } : {}),
    tokenize: tokenize
      ? (text, options) =>
          tokenize({
            text,
            options,
            next: (nextText, nextOptions) => backend.tokenize(nextText, nextOptions),
          })
      : (text, options) => backend.tokenize(text, options),
    detokenize: detokenize
      ? (tokens) => detokenize({ tokens, next: (nextTokens) => backend.detokenize(nextTokens) })
      : (tokens) => backend.detokenize(tokens),
    createSequence: async (options) => {
      const next = (nextOptions: typeof options) => backend.createSequence(nextOptions);
      return wrapped('create')(await (createSequence ? createSequence({ options, next }) : next(options)));
    },
    ...(restore
      ? {
          restoreSequence: async (snapshot: Uint8Array, options: Parameters<typeof restore>[1]) =>
            wrapped('restore')(
              await (restoreSequence
                ? restoreSequence({ snapshot, options, next: restore })
                : restore(snapshot, options)),
            ),
        }
      : {}),
    ...(compile
      ? {
          compileJsonSchema: (schema: Parameters<typeof compile>[0]) =>
            compileJsonSchema ? compileJsonSchema({ schema, next: compile }) : compile(schema),
        }
      : {}),
    dispose: dispose ? () => dispose({ next: () => backend.dispose() }) : () => backend.dispose(),
  };
}

/** Checks a middleware given by plain JavaScript: known members only, hooks that are functions. */
function checkedMiddleware(middleware: BackendMiddleware): BackendMiddleware {
  requireOptionsObject(middleware, ['omit', 'sequence', ...middlewareHooks], { what: 'middleware' });
  for (const hook of middlewareHooks) optionalFunction(`middleware.${hook}`, middleware[hook]);
  if (middleware.sequence !== undefined) {
    requireOptionsObject(middleware.sequence, sequenceHooks, { what: 'middleware.sequence' });
    for (const hook of sequenceHooks)
      optionalFunction(`middleware.sequence.${hook}`, middleware.sequence[hook]);
  }
  const { omit } = middleware;
  if (
    omit !== undefined &&
    (!Array.isArray(omit) || omit.some((name) => !capabilities.includes(name as OptionalCapability)))
  ) {
    throw new InvalidOptionError({
      option: 'middleware.omit',
      value: omit,
      expected: `a list of ${capabilities.join(', ')}`,
    });
  }
  return middleware;
}

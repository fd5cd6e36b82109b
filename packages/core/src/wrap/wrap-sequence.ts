import type { KVSequence } from '../seam/kv-sequence.js';
import type { SequenceMiddleware, SequenceOrigin } from './sequence-middleware.js';

/** Options of {@link wrapSequence}. */
export interface WrapSequenceOptions {
  /** How the sequence was made; handed to every hook. */
  readonly origin: SequenceOrigin;
  /** False: leave `snapshot` out even where `sequence` has it (default true). */
  readonly withSnapshot?: boolean;
}

/**
 * A sequence that forwards every member of `sequence` through the hooks of `middleware`: `capacity` and
 * `length` (read live), `append`, `retain`, `dispose`, and `snapshot` only where `sequence` has it and
 * `withSnapshot` is not false. With no hook to run and nothing to leave out, returns `sequence` itself.
 */
export function wrapSequence(
  sequence: KVSequence,
  middleware: SequenceMiddleware,
  { origin, withSnapshot = true }: WrapSequenceOptions,
): KVSequence {
  const { append, retain, snapshot, dispose } = middleware;
  const hasSnapshot = typeof sequence.snapshot === 'function';
  const keepsSnapshot = hasSnapshot && withSnapshot;
  if (!append && !retain && !dispose && !(snapshot && keepsSnapshot) && keepsSnapshot === hasSnapshot) {
    return sequence;
  }
  const takeSnapshot = () => (sequence.snapshot as () => Promise<Uint8Array>).call(sequence);
  return {
    get capacity() {
      return sequence.capacity;
    },
    get length() {
      return sequence.length;
    },
    append: append
      ? (tokens, options) =>
          append({
            tokens,
            options,
            sequence,
            origin,
            next: (nextTokens, nextOptions) => sequence.append(nextTokens, nextOptions),
          })
      : (tokens, options) => sequence.append(tokens, options),
    retain: retain
      ? (keep) => retain({ keep, sequence, origin, next: (nextKeep) => sequence.retain(nextKeep) })
      : (keep) => sequence.retain(keep),
    ...(keepsSnapshot
      ? { snapshot: snapshot ? () => snapshot({ sequence, origin, next: takeSnapshot }) : takeSnapshot }
      : {}),
    dispose: dispose
      ? () => dispose({ sequence, origin, next: () => sequence.dispose() })
      : () => sequence.dispose(),
  };
}

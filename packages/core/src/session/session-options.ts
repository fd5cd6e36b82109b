import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { RetentionPolicy } from '../policies/retention-policy.js';
import { sirllm } from '../policies/sirllm.js';
import type { KVBackend } from '../seam/kv-backend.js';
import { requireInteger } from '../validation/require.js';

/** Options of `MemorySession.create`. */
export interface MemorySessionOptions {
  /** The loaded model the session's cache lives in. */
  readonly backend: KVBackend;
  /** KV cells of the session's cache: the most tokens ever resident at once. */
  readonly capacity: number;
  /** What stays when the cache is full. Default `sirllm()` (4 sinks, no decay). */
  readonly policy?: RetentionPolicy;
  /** Most tokens fed to the backend per call when ingesting (default 256; clamped to what fits). */
  readonly chunkSize?: number;
  /**
   * The newest tokens that evictions in the middle of a turn (chunked ingestion, generation) never
   * remove, so the model keeps its local context. Default min(32, ⌊capacity / 8⌋).
   */
  readonly protectRecent?: number;
  /**
   * Cells freed at once when generation hits a full cache, so evictions are batched rather than one per
   * token. Default max(1, ⌊capacity / 16⌋).
   */
  readonly decodeHeadroom?: number;
}

/** Options of `MemorySession.restore`: the capacity comes from the snapshot. */
export interface RestoreSessionOptions extends Omit<MemorySessionOptions, 'capacity' | 'policy'> {
  /** Bytes from `MemorySession.snapshot()`. */
  readonly snapshot: Uint8Array;
  /**
   * Default: the policy recorded in the snapshot, rebuilt from `policyRegistry` (required for `random`
   * and unregistered policies).
   */
  readonly policy?: RetentionPolicy;
}

export interface ResolvedSessionOptions {
  readonly backend: KVBackend;
  readonly capacity: number;
  readonly policy: RetentionPolicy;
  readonly chunkSize: number;
  readonly protectRecent: number;
  readonly decodeHeadroom: number;
}

/** Validates session options against each other; throws `InvalidOptionError` naming the culprit. */
export function resolveSessionOptions(options: MemorySessionOptions): ResolvedSessionOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError({ option: 'options', value: options, expected: 'an options object' });
  }
  const { backend } = options;
  if (typeof backend !== 'object' || backend === null || typeof backend.createSequence !== 'function') {
    throw new InvalidOptionError({ option: 'backend', value: backend, expected: 'a KVBackend' });
  }
  if (backend.specificationVersion !== 'v1') {
    throw new InvalidOptionError({
      option: 'backend.specificationVersion',
      value: backend.specificationVersion,
      expected: '"v1" (this version of @sirllm/core implements seam v1)',
    });
  }
  const capacity = requireInteger('capacity', options.capacity, { minimum: 1 });
  const policy = options.policy ?? sirllm();
  if (typeof policy?.select !== 'function') {
    throw new InvalidOptionError({ option: 'policy', value: policy, expected: 'a RetentionPolicy' });
  }
  const protectRecent = requireInteger(
    'protectRecent',
    options.protectRecent ?? Math.min(32, Math.floor(capacity / 8)),
    {
      minimum: 0,
    },
  );
  const mandatory = policy.sinks + policy.recent + protectRecent;
  if (policy.evicts && mandatory + 1 > capacity) {
    throw new InvalidOptionError({
      option: 'capacity',
      value: capacity,
      expected:
        `more than the ${mandatory} tokens that are never evicted (policy "${policy.name}": ` +
        `sinks ${policy.sinks} + recent ${policy.recent}, protectRecent ${protectRecent})`,
    });
  }
  const chunkSize = requireInteger('chunkSize', options.chunkSize ?? 256, { minimum: 1 });
  const decodeHeadroom = requireInteger(
    'decodeHeadroom',
    options.decodeHeadroom ?? Math.max(1, Math.floor(capacity / 16)),
    { minimum: 1 },
  );
  return { backend, capacity, policy, chunkSize, protectRecent, decodeHeadroom };
}

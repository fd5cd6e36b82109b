import { type SessionStore, SessionStoreUnavailableError, StaleLeaseError } from '@sirllm/chat';
import { InvalidOptionError, requireInteger } from '@sirllm/core';
import type { RedisClient } from './redis-client.js';
import { sessionKeys } from './redis-keys.js';
import { removeManifest, switchManifest } from './redis-scripts.js';
import { orUnavailable } from './unavailable.js';

/** Options of {@link createRedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /** An ioredis client (`new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false })` fails fast when Redis is down). */
  readonly client: RedisClient;
  /** Key prefix (default `sirllm:`); the leases must use the same one. */
  readonly prefix?: string;
  /** Bytes per chunk (default 1 MiB): no single command copies more, so a large snapshot never stalls Redis. */
  readonly chunkBytes?: number;
  /** Chunks read or written at once (default 4). */
  readonly parallelChunks?: number;
  /**
   * Called after a snapshot's chunks are written and before its manifest switches to them. For fault
   * tests: a process killed here must leave the previous snapshot in place.
   */
  readonly onChunksWritten?: (sessionId: string) => void | Promise<void>;
}

/**
 * A `SessionStore` in Redis. A snapshot is written as chunks under a new generation, then one script
 * switches the session's manifest to it (refusing a save whose lease fence is stale, `StaleLeaseError`),
 * then the old generation's chunks are deleted: a reader sees the old snapshot or the new one, never a
 * mix, and a process killed mid-save leaves the old one (and unreferenced chunks). A load that races a
 * save re-reads the manifest. Failures of Redis become `SessionStoreUnavailableError` (retryable).
 */
export function createRedisSessionStore(options: RedisSessionStoreOptions): SessionStore {
  const { client, onChunksWritten } = options;
  if (typeof client?.eval !== 'function') {
    throw new InvalidOptionError({ option: 'client', value: client, expected: 'an ioredis client' });
  }
  const prefix = options.prefix ?? 'sirllm:';
  const chunkBytes = requireInteger('chunkBytes', options.chunkBytes ?? 1024 * 1024, { minimum: 1 });
  const parallel = requireInteger('parallelChunks', options.parallelChunks ?? 4, { minimum: 1 });

  /** Runs `work` for indices 0..count-1, at most `parallel` at a time, in order of completion per batch. */
  const inBatches = async <T>(count: number, work: (index: number) => Promise<T>): Promise<T[]> => {
    const results: T[] = [];
    for (let start = 0; start < count; start += parallel) {
      const batch = Array.from({ length: Math.min(parallel, count - start) }, (_, offset) =>
        work(start + offset),
      );
      results.push(...(await Promise.all(batch)));
    }
    return results;
  };

  const deleteGeneration = async (sessionId: string, old: unknown) => {
    const [generation, chunks] = (old ?? []) as [string | null, string | null];
    if (!generation) return;
    const keys = sessionKeys(prefix, sessionId);
    const count = Number(chunks ?? 0);
    if (count > 0)
      await client.unlink(...Array.from({ length: count }, (_, index) => keys.chunk(generation, index)));
  };

  return {
    fences: true,
    async save(sessionId, bytes, saveOptions) {
      const keys = sessionKeys(prefix, sessionId);
      const generation = globalThis.crypto.randomUUID();
      const count = Math.ceil(bytes.length / chunkBytes);
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      await orUnavailable(sessionId, 'saving its chunks', () =>
        inBatches(count, (index) =>
          client.set(
            keys.chunk(generation, index),
            buffer.subarray(index * chunkBytes, (index + 1) * chunkBytes),
          ),
        ),
      );
      await onChunksWritten?.(sessionId);
      const fence = saveOptions?.fence;
      let old: unknown;
      try {
        old = await client.eval(
          switchManifest,
          2,
          keys.manifest,
          keys.fence,
          generation,
          count,
          bytes.length,
          fence ?? '',
        );
      } catch (error) {
        await deleteGeneration(sessionId, [generation, String(count)]).catch(() => undefined);
        const stale = /SIRLLM_STALE (\d+)/.exec(error instanceof Error ? error.message : String(error));
        if (stale && fence !== undefined)
          throw new StaleLeaseError({ sessionId, fence, newest: Number(stale[1]) });
        throw new SessionStoreUnavailableError({
          sessionId,
          operation: 'switching its manifest',
          cause: error,
        });
      }
      // The old chunks are garbage now; a failure here leaves them, never a wrong snapshot.
      await deleteGeneration(sessionId, old).catch(() => undefined);
    },
    async load(sessionId) {
      const keys = sessionKeys(prefix, sessionId);
      for (let attempt = 0; attempt < 5; attempt++) {
        const manifest = await orUnavailable(sessionId, 'reading its manifest', () =>
          client.hgetall(keys.manifest),
        );
        const generation = manifest.generation;
        if (generation === undefined) return undefined;
        const count = Number(manifest.chunks);
        const length = Number(manifest.length);
        const chunks = await orUnavailable(sessionId, 'reading its chunks', () =>
          inBatches(count, (index) => client.getBuffer(keys.chunk(generation, index))),
        );
        if (chunks.some((chunk) => chunk === null)) continue; // replaced by a save meanwhile: read the new one
        const bytes = new Uint8Array(length);
        let offset = 0;
        for (const chunk of chunks as Uint8Array[]) {
          bytes.set(chunk, offset);
          offset += chunk.length;
        }
        if (offset === length) return bytes;
      }
      throw new InvalidOptionError({
        option: 'sessionStore',
        value: sessionId,
        expected:
          'a manifest whose chunks exist (five reads found chunks missing: is another store using this prefix?)',
      });
    },
    async delete(sessionId) {
      const keys = sessionKeys(prefix, sessionId);
      const old = await orUnavailable(sessionId, 'deleting it', () =>
        client.eval(removeManifest, 1, keys.manifest),
      );
      await deleteGeneration(sessionId, old).catch(() => undefined);
    },
  };
}

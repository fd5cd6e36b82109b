// @ts-check
// One worker process of the scale-out test: a ChatSessions over the reference backend, sharing sessions
// with the other workers through Redis (store + leases). It answers the coordinator's turn requests over
// IPC; a request may ask it to die (SIGKILL) mid-save or mid-turn. Runs the built packages (dist/).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatSessions } from '@sirllm/chat';
import { createRedisSessionLeases, createRedisSessionStore } from '@sirllm/redis';
import { createReferenceBackend, createTinyLlama } from '@sirllm/testkit';
import { Redis } from 'ioredis';

/** @type {{ url: string, capacity: number, seed: number, leaseMs: number, faultFolder: string }} */
const config = JSON.parse(process.argv[2] ?? '{}');
const client = new Redis(config.url, {
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  retryStrategy: () => 50,
});
client.on('error', () => undefined); // a restarting server: commands fail with a typed error meanwhile
await new Promise((resolve) => client.once('ready', resolve));

/** The requests (by session) that asked this worker to die mid-save. @type {Map<string, string>} */
const killMidSave = new Map();
/** Dies at once, leaving a marker that the fault of request `requestId` fired. @param {string} requestId */
const die = (requestId) => {
  writeFileSync(join(config.faultFolder, encodeURIComponent(requestId)), '');
  process.kill(process.pid, 'SIGKILL');
};
const store = createRedisSessionStore({
  client,
  chunkBytes: 16 * 1024,
  onChunksWritten: (sessionId) => {
    const requestId = killMidSave.get(sessionId);
    if (requestId !== undefined) die(requestId);
  },
});
/** Restore latencies (ms) and snapshot sizes (bytes) not reported yet; each reply takes what there is. */
const measured = { restores: /** @type {number[]} */ ([]), snapshots: /** @type {number[]} */ ([]) };
const report = () => ({ restores: measured.restores.splice(0), snapshots: measured.snapshots.splice(0) });
const sessionStore = {
  fences: true,
  /** @param {string} id @param {Uint8Array} bytes @param {{ fence?: number }} [options] */
  save: async (id, bytes, options) => {
    await store.save(id, bytes, options);
    measured.snapshots.push(bytes.length);
  },
  /** @param {string} id */
  load: async (id) => {
    const started = performance.now();
    const bytes = await store.load(id);
    if (bytes) measured.restores.push(performance.now() - started);
    return bytes;
  },
  /** @param {string} id */
  delete: (id) => store.delete(id),
};
const chat = new ChatSessions({
  backend: createReferenceBackend({ model: createTinyLlama({ layers: 1, seed: config.seed }) }),
  capacity: config.capacity,
  sessionStore,
  leases: createRedisSessionLeases({ client, leaseMs: config.leaseMs }),
  maxSessions: 8,
});

process.on('message', async (/** @type {any} */ request) => {
  if (request.fault === 'kill-mid-save') killMidSave.set(request.sessionId, request.requestId);
  try {
    const turn = await chat.turn({
      sessionId: request.sessionId,
      requestId: request.requestId,
      history: request.history,
      maxTokens: 6,
      sampling: { temperature: 0 },
      ...(request.fault === 'kill-mid-turn' ? { onText: () => die(request.requestId) } : {}),
    });
    process.send?.({
      id: request.id,
      ok: true,
      content: turn.content,
      memory: turn.memory,
      usage: turn.usage,
      measured: report(),
    });
  } catch (error) {
    const { name, message, retryable } =
      /** @type {{ name: string, message: string, retryable?: boolean }} */ (error);
    process.send?.({
      id: request.id,
      ok: false,
      name,
      message,
      retryable: retryable === true,
      measured: report(),
    });
  } finally {
    killMidSave.delete(request.sessionId);
  }
});
process.send?.({ ready: true });

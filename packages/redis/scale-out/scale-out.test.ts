import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChatSessions, createMemorySessionLeases, createMemorySessionStore } from '@sirllm/chat';
import type { ChatMessage } from '@sirllm/core';
import { createReferenceBackend, createTinyLlama } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import { createRedisSessionStore } from '../src/index.js';
import { redisAvailable, startTestRedis } from '../test/redis-server.js';

// `pnpm test:scale-out`: 3 worker processes share 30 sessions through Redis (store + leases), 10 turns
// each, every request routed to a random worker. Faults: workers SIGKILLed mid-save and mid-turn, and
// Redis restarted mid-run. Every session's replies and final stored snapshot must equal one process
// running the same conversations alone: nothing lost, nothing applied twice.

const sessions = 30;
const turns = 10;
const capacity = 96;
const seed = 21;
const leaseMs = 1500;
const workerScript = fileURLToPath(new URL('./worker.mjs', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)));

const question = (session: number, turn: number) =>
  `Session ${session}, turn ${turn}: note that item ${turn} costs ${(session * 7 + turn) % 97} coins.`;

type Fault = 'kill-mid-save' | 'kill-mid-turn';
interface Reply {
  ok: boolean;
  content?: string;
  memory?: { replayed?: boolean; rebuilt: boolean };
  name?: string;
  message?: string;
  retryable?: boolean;
  measured: { restores: number[]; snapshots: number[] };
}

/** One worker slot: a child process, restarted when it dies. */
class Worker {
  #process!: ChildProcess;
  #ready!: Promise<void>;
  readonly #pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  #next = 0;
  restarts = 0;

  constructor(private readonly config: string) {
    this.#spawn();
  }

  #spawn(): void {
    const child = fork(workerScript, [this.config], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#process = child;
    child.on('error', () => undefined); // a send to a worker being killed: its exit rejects the calls
    this.#ready = new Promise((resolve) => {
      child.on('message', (message: { ready?: boolean; id?: number } & Reply) => {
        if (message.ready) resolve();
        else if (message.id !== undefined) {
          this.#pending.get(message.id)?.resolve(message);
          this.#pending.delete(message.id);
        }
      });
    });
    child.on('exit', () => {
      for (const { reject } of this.#pending.values()) reject(new Error('worker died'));
      this.#pending.clear();
      if (this.#process === child && !this.closing) {
        this.restarts++;
        this.#spawn();
      }
    });
  }

  closing = false;

  async send(request: {
    sessionId: string;
    requestId: string;
    history: ChatMessage[];
    fault?: Fault;
  }): Promise<Reply> {
    await this.#ready;
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#process.send({ id, ...request });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const child = this.#process;
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/** The same conversations in one process, one ChatSessions over an in-memory store: the expectation. */
async function aloneRun(): Promise<{ replies: string[][]; snapshots: (Uint8Array | undefined)[] }> {
  const leases = createMemorySessionLeases();
  const store = createMemorySessionStore({ leases });
  const chat = new ChatSessions({
    backend: createReferenceBackend({ model: createTinyLlama({ layers: 1, seed }) }),
    capacity,
    sessionStore: store,
    leases,
  });
  const replies: string[][] = [];
  for (let session = 0; session < sessions; session++) {
    const history: ChatMessage[] = [];
    replies.push([]);
    for (let turn = 0; turn < turns; turn++) {
      history.push({ role: 'user', content: question(session, turn) });
      const reply = await chat.turn({
        sessionId: `session-${session}`,
        requestId: `${session}:${turn}`,
        history: [...history],
        maxTokens: 6,
        sampling: { temperature: 0 },
      });
      history.push({ role: 'assistant', content: reply.content });
      replies[session]?.push(reply.content);
    }
  }
  const snapshots = await Promise.all(
    Array.from({ length: sessions }, (_, session) => store.load(`session-${session}`)),
  );
  return { replies, snapshots };
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))] ?? 0;

describe.skipIf(!redisAvailable || !built)('scale-out: sessions shared by 3 processes through Redis', () => {
  it('30 sessions × 10 turns, random routing, workers killed mid-save and mid-turn, Redis restarted: nothing lost, nothing applied twice', async () => {
    const expected = await aloneRun();
    const redis = await startTestRedis({ persistence: true });
    const faultFolder = mkdtempSync(join(tmpdir(), 'sirllm-scale-out-faults-'));
    const config = JSON.stringify({ url: redis.url, capacity, seed, leaseMs, faultFolder });
    const workers = [0, 1, 2].map(() => new Worker(config));
    // Which request attempts fail on purpose: [session, turn, fault].
    const faults = new Map<string, Fault>([
      ['3:4', 'kill-mid-save'],
      ['11:7', 'kill-mid-save'],
      ['5:2', 'kill-mid-turn'],
      ['20:9', 'kill-mid-turn'],
    ]);
    let state = 12345;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const restores: number[] = [];
    const snapshots: number[] = [];
    const failures = new Map<string, number>();
    let completed = 0;
    let replayed = 0;
    let restarted: Promise<void> | undefined;
    const started = performance.now();
    const replies: string[][] = Array.from({ length: sessions }, () => []);
    try {
      await Promise.all(
        Array.from({ length: sessions }, async (_, session) => {
          const history: ChatMessage[] = [];
          for (let turn = 0; turn < turns; turn++) {
            history.push({ role: 'user', content: question(session, turn) });
            let fault = faults.get(`${session}:${turn}`);
            for (let attempt = 0; ; attempt++) {
              expect(attempt, `session ${session} turn ${turn}`).toBeLessThan(200);
              const worker = workers[Math.floor(random() * workers.length)] as Worker;
              let reply: Reply;
              try {
                reply = await worker.send({
                  sessionId: `session-${session}`,
                  requestId: `${session}:${turn}`,
                  history: [...history],
                  ...(fault ? { fault } : {}),
                });
              } catch {
                failures.set('worker killed', (failures.get('worker killed') ?? 0) + 1);
                // The worker died: by this call's fault (its marker is there), or another call's.
                if (existsSync(join(faultFolder, encodeURIComponent(`${session}:${turn}`))))
                  fault = undefined;
                continue; // route the call again
              }
              restores.push(...reply.measured.restores);
              snapshots.push(...reply.measured.snapshots);
              if (reply.ok) {
                if (reply.memory?.replayed) replayed++;
                history.push({ role: 'assistant', content: reply.content ?? '' });
                replies[session]?.push(reply.content ?? '');
                completed++;
                if (completed === 120 && !restarted) {
                  restarted = (async () => {
                    await redis.stop();
                    await new Promise((resolve) => setTimeout(resolve, 300));
                    await redis.start();
                  })();
                }
                break;
              }
              expect(reply.retryable, `${reply.name}: ${reply.message}`).toBe(true);
              failures.set(reply.name ?? '?', (failures.get(reply.name ?? '?') ?? 0) + 1);
              await new Promise((resolve) => setTimeout(resolve, 20 + 30 * random()));
            }
          }
        }),
      );
      await restarted;
      const seconds = (performance.now() - started) / 1000;
      const differing = replies.flatMap((session, index) =>
        session.flatMap((reply, turn) =>
          reply === expected.replies[index]?.[turn] ? [] : [`session ${index} turn ${turn}`],
        ),
      );
      expect(differing).toEqual([]);
      expect(replies).toEqual(expected.replies);
      const reader = createRedisSessionStore({ client: await redis.client() });
      for (let session = 0; session < sessions; session++) {
        expect(await reader.load(`session-${session}`), `session ${session}`).toEqual(
          expected.snapshots[session],
        );
      }
      // Each kill fails every call the worker was running (other sessions' too): all were retried.
      expect(failures.get('worker killed')).toBeGreaterThanOrEqual(4);
      expect(failures.get('SessionStoreUnavailableError') ?? 0).toBeGreaterThan(0);
      expect(workers.reduce((sum, worker) => sum + worker.restarts, 0)).toBe(4);
      console.log(
        [
          `scale-out: ${sessions * turns} turns in ${seconds.toFixed(1)} s = ${((sessions * turns) / seconds).toFixed(1)} turns/s (3 workers, reference backend 1 layer, capacity ${capacity})`,
          `  restores from Redis: ${restores.length}, p50 ${percentile(restores, 0.5).toFixed(2)} ms, p95 ${percentile(restores, 0.95).toFixed(2)} ms`,
          `  snapshots saved: ${snapshots.length}, mean ${(snapshots.reduce((a, b) => a + b, 0) / snapshots.length / 1024).toFixed(1)} KiB, max ${(Math.max(...snapshots) / 1024).toFixed(1)} KiB`,
          `  failed attempts, retried: ${[...failures].map(([name, count]) => `${name} ${count}`).join(', ')}; retries answered from the recorded turn (save done, answer lost): ${replayed}`,
        ].join('\n'),
      );
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
      await redis.dispose();
      rmSync(faultFolder, { recursive: true, force: true });
    }
  }, 300_000);
});

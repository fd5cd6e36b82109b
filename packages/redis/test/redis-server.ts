import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/**
 * Whether `redis-server` can be started here. Without it the Redis tests are skipped — unless
 * `SIRLLM_REQUIRE_REDIS=1` (CI sets it: `.ci/run` installs Debian's redis-server), where they fail.
 */
export const redisAvailable =
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0 ||
  process.env.SIRLLM_REQUIRE_REDIS === '1';

/** A redis-server of this test run: loopback, a free port, its own folder, stopped by `stop`. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** A connected client that fails fast while the server is down (no offline queue, one retry). */
  client(): Promise<Redis>;
  /** Stops the server (SHUTDOWN: with `persistence`, data is written first). */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder (the data is back when `persistence` is on). */
  start(): Promise<void>;
  /** Stops it for good and deletes its folder and the clients made by `client`. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts redis-server on a free port with no snapshots (`--save ''`); with `persistence`, an append-only
 * file fsynced on every write, so a restart keeps every acknowledged write.
 */
export async function startTestRedis({ persistence = false } = {}): Promise<TestRedis> {
  const folder = mkdtempSync(join(tmpdir(), 'sirllm-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const clients: Redis[] = [];
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        persistence ? 'yes' : 'no',
        '--appendfsync',
        'always',
        '--dir',
        folder,
        '--protected-mode',
        'no',
      ],
      { stdio: 'ignore' },
    );
    const probe = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined); // refused until the server listens
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await probe.connect();
          if ((await probe.ping()) === 'PONG') return;
        } catch (error) {
          if (attempt > 200) throw new Error(`redis-server did not answer on port ${port}: ${String(error)}`);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }
    } finally {
      probe.disconnect();
    }
  };
  const stop = async () => {
    const running = server;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM'); // redis-server shuts down cleanly on SIGTERM (and writes the AOF)
    await exited;
  };
  await start();
  return {
    port,
    url,
    async client() {
      const client = new Redis(url, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        retryStrategy: () => 50,
      });
      client.on('error', () => undefined); // reconnect errors are expected while a test restarts the server
      clients.push(client);
      if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
      return client;
    },
    stop,
    start,
    async dispose() {
      for (const client of clients) client.disconnect();
      await stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

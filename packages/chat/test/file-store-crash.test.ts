import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createFileSessionStore } from '../src/node/index.js';

// A process SIGKILLed while the file store saves must leave the previous snapshot or the new one, whole.
// A child process (Node, the built store) saves 8 MiB values of alternating content in a loop; it is
// killed at several moments, and each time the value on disk must be one of them entirely.

const built = fileURLToPath(new URL('../dist/node/index.js', import.meta.url));
const size = 8 * 1024 * 1024;

const child = (folder: string) => `
import { createFileSessionStore } from ${JSON.stringify(pathToFileURL(built).href)};
const store = createFileSessionStore(${JSON.stringify(folder)});
const values = [new Uint8Array(${size}).fill(1), new Uint8Array(${size}).fill(2)];
for (let index = 0; ; index++) {
  await store.save('crash', values[index % 2]);
  if (index === 0) process.stdout.write('saved\\n');
}
`;

describe.skipIf(!existsSync(built))('file store: SIGKILL mid-save (needs pnpm build)', () => {
  it('leaves one whole value after every kill', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sirllm-file-crash-'));
    try {
      const script = join(folder, 'saver.mjs');
      writeFileSync(script, child(join(folder, 'sessions')));
      const store = createFileSessionStore(join(folder, 'sessions'));
      for (const delay of [0, 7, 23, 41, 70]) {
        const saver = spawn('node', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
        await new Promise<void>((resolve) => saver.stdout.once('data', () => resolve()));
        await new Promise((resolve) => setTimeout(resolve, delay));
        const exited = new Promise((resolve) => saver.once('exit', resolve));
        saver.kill('SIGKILL');
        await exited;
        const value = await store.load('crash');
        expect(value?.length, `killed after ${delay} ms`).toBe(size);
        const first = value?.[0];
        expect([1, 2]).toContain(first);
        expect(
          value?.every((byte) => byte === first),
          `killed after ${delay} ms: a torn value`,
        ).toBe(true);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { staleReason } from '../../../scripts/build-state.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Runs `node scripts/sirllm.mjs ...args` at the root; resolves with its exit code and output. */
function runScript(args: string[], input?: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      'node',
      ['scripts/sirllm.mjs', ...args],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(input);
  });
}

describe('scripts/sirllm.mjs (pnpm sirllm)', () => {
  // The first run may build the workspace when its sources are newer than the builds (~20-60 s).
  it('runs the built CLI with the arguments: --help prints the usage and exits 0', async () => {
    const { code, stdout } = await runScript(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: sirllm <command> \[options\]/);
    expect(stdout).toContain('bench [--quick]');
  }, 300_000);

  it('passes the exit code and stderr through: a bad option exits 2 with the message', async () => {
    const { code, stdout, stderr } = await runScript(['bench', '--bogus']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('sirllm bench: unknown option "--bogus"');
    const unknown = await runScript(['nonsense']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "nonsense"');
  }, 300_000);
});

describe('scripts/build-state.mjs (when pnpm sirllm rebuilds)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sirllm-build-state-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const at = (path: string, seconds: number, text = '') => {
    const file = join(folder, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    utimesSync(file, seconds, seconds);
  };

  it('is fresh when every built entry is newer than its package sources, stale otherwise (with the reason)', () => {
    const manifest = {
      name: 'a',
      main: './dist/index.js',
      exports: {
        '.': { types: './dist/index.d.ts', import: './dist/index.js' },
        './x': { import: './dist/x.js' },
      },
      bin: { a: './dist/bin.js' },
      scripts: { build: 'tsup' },
    };
    at('tsconfig.base.json', 1_000);
    at('packages/a/package.json', 1_000, JSON.stringify(manifest));
    at('packages/a/tsup.config.ts', 1_000);
    at('packages/a/src/index.ts', 1_000);
    at('packages/a/src/deep/folder/module.ts', 1_000);
    at('packages/b/package.json', 1_000, JSON.stringify({ name: 'b' })); // no build script: ignored
    at('packages/b/src/index.ts', 9_000);
    for (const entry of ['index.js', 'x.js', 'bin.js']) at(`packages/a/dist/${entry}`, 2_000);
    expect(staleReason(folder)).toBeUndefined();

    at('packages/a/src/deep/folder/module.ts', 3_000);
    expect(staleReason(folder)).toBe('packages/a changed since packages/a/dist/index.js was built');
    at('packages/a/src/deep/folder/module.ts', 1_000);
    at('packages/a/tsup.config.ts', 3_000);
    expect(staleReason(folder)).toMatch(/^packages\/a changed/);
    at('packages/a/tsup.config.ts', 1_000);
    at('tsconfig.base.json', 3_000);
    expect(staleReason(folder)).toMatch(/^packages\/a changed/);
    at('tsconfig.base.json', 1_000);
    expect(staleReason(folder)).toBeUndefined();

    rmSync(join(folder, 'packages/a/dist/bin.js'));
    expect(staleReason(folder)).toBe('packages/a/dist/bin.js is missing');
  });
});

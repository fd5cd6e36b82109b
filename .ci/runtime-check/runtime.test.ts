import { existsSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Proves which JavaScript runtime really executes the test files: the vitest worker process, not only the
// CLI that started it. .ci/run sets SIRLLM_EXPECT_RUNTIME (node24 | bun | deno) and SIRLLM_EXPECT_EXE (the
// runtime binary); without them (a plain local run) the check only reports what it sees.
type Runtime = 'bun' | 'deno' | 'node';

const globals = globalThis as { Bun?: { version: string }; Deno?: { version: { deno: string } } };

function detect(): { runtime: Runtime; version: string } {
  if (globals.Bun !== undefined) return { runtime: 'bun', version: globals.Bun.version };
  if (globals.Deno !== undefined) return { runtime: 'deno', version: globals.Deno.version.deno };
  return { runtime: 'node', version: process.versions.node };
}

/** The binary a process runs, from /proc (Linux); undefined where /proc is not there. */
function exeOf(pid: number | 'self'): string | undefined {
  const link = `/proc/${pid}/exe`;
  if (!existsSync(link)) return undefined;
  return readlinkSync(link);
}

function commandOf(pid: number): string {
  const file = `/proc/${pid}/cmdline`;
  return existsSync(file) ? readFileSync(file, 'utf8').split('\0').join(' ').trim() : '?';
}

describe('CI runtime check', () => {
  it('runs the test worker under the expected runtime', () => {
    const { runtime, version } = detect();
    const self = exeOf('self');
    const parent = exeOf(process.ppid);
    console.log(
      `[runtime-check] worker runtime=${runtime} version=${version} node-compat=${process.versions.node}\n` +
        `[runtime-check] worker pid=${process.pid} exe=${self ?? '?'} execPath=${process.execPath}\n` +
        `[runtime-check] parent pid=${process.ppid} exe=${parent ?? '?'} cmd=${commandOf(process.ppid)}`,
    );

    const expected = process.env.SIRLLM_EXPECT_RUNTIME;
    if (expected === undefined || expected === '') return;
    switch (expected) {
      case 'bun':
        expect(runtime).toBe('bun');
        expect(process.versions.bun).toBe(version);
        break;
      case 'deno':
        expect(runtime).toBe('deno');
        break;
      case 'node24':
        expect(runtime).toBe('node');
        expect(process.versions.node.split('.')[0]).toBe('24');
        break;
      default:
        throw new Error(`unknown SIRLLM_EXPECT_RUNTIME=${expected}`);
    }

    const expectedVersion = process.env.SIRLLM_EXPECT_VERSION;
    if (expectedVersion) expect(version).toBe(expectedVersion);

    // The worker process itself, and the vitest process that spawned it, run the pinned binary.
    const expectedExe = process.env.SIRLLM_EXPECT_EXE;
    if (expectedExe && self !== undefined) {
      const binary = realpathSync(expectedExe);
      expect(self).toBe(binary);
      if (parent !== undefined) expect(parent).toBe(binary);
    }
  });
});

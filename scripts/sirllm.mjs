#!/usr/bin/env node
// `pnpm sirllm <command> [args]` at the repository root: builds the workspace when a package's sources are
// newer than its build (or the build is missing), quietly (the build's output is shown only if it fails),
// then runs packages/cli/dist/bin.js with the arguments, stdin/stdout/stderr inherited, and exits with its
// exit code. SIRLLM_SKIP_BUILD=1 runs the existing build without checking it.
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleReason } from './build-state.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'packages/cli/dist/bin.js');

/** `pnpm run build` at the root, with the pnpm that runs this script when there is one. */
function build(reason) {
  process.stderr.write(`sirllm: building the workspace first (${reason}) …\n`);
  const pnpm = process.env.npm_execpath;
  const [command, args] =
    pnpm && /\.[cm]?js$/.test(pnpm) ? [process.execPath, [pnpm, 'run', 'build']] : ['pnpm', ['run', 'build']];
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    shell: process.platform === 'win32',
  });
  if (result.error) {
    process.stderr.write(`sirllm: could not run "pnpm run build": ${result.error.message}\n`);
    return 1;
  }
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}sirllm: "pnpm run build" failed; see above.\n`);
    return result.status ?? 1;
  }
  return 0;
}

if (process.env.SIRLLM_SKIP_BUILD !== '1') {
  const reason = staleReason(root);
  if (reason !== undefined) {
    const status = build(reason);
    if (status !== 0) process.exit(status);
  }
}

const child = spawn(process.execPath, [bin, ...process.argv.slice(2)], { stdio: 'inherit' });
// Ctrl-C in a terminal reaches the CLI directly (same process group): it stops cleanly and exits 130, so
// this process waits for it instead of dying first. Termination sent to this process alone is passed on.
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (error) => {
  process.stderr.write(`sirllm: could not start ${bin}: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 1));
});

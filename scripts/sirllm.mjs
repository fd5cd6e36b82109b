#!/usr/bin/env node
// `pnpm sirllm <command> [args]` at the repository root: builds the workspace when a package's sources are
// newer than its build (or the build is missing), quietly (the build's output is shown only if it fails),
// then runs packages/cli/dist/bin.js with the arguments, stdin/stdout/stderr inherited, and exits with its
// exit code. SIRLLM_SKIP_BUILD=1 runs the existing build without checking it.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-state.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'packages/cli/dist/bin.js');

if (process.env.SIRLLM_SKIP_BUILD !== '1') {
  const status = buildIfStale(root);
  if (status !== 0) process.exit(status);
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

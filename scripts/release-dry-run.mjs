#!/usr/bin/env node
// `pnpm release:dry-run`: everything a release does short of uploading. First `changeset status` (the pending
// changesets name real, published packages, and no package changed since the base branch lacks one), then
// `pnpm -r publish --dry-run --no-git-checks --access public` over the published packages (every packages/*
// and models/* whose package.json is not private): pnpm rewrites `workspace:` dependencies, packs each
// package and hands the tarball to `npm publish --dry-run`, which checks the manifest. No token is needed
// (npm only warns that a real publish would need a login), and it runs offline: npm 11's dry run asks the
// registry whether the version exists and retries for about 70 s per package when it cannot be reached, so
// npm and pnpm run with `offline` set and make no request. Prints one line per package that would be
// published; exits 1 when either step fails (its output is shown then). Builds the workspace first when a
// package's build is missing or older than its sources (as `pnpm test`).
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-state.mjs';
import { packageParents, pnpmCommand } from './published-packages.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** pnpm filters selecting the workspace folders whose packages may be published (not examples, tools/*). */
const publishedFilters = packageParents.flatMap((parent) => ['--filter', `./${parent}/**`]);

/**
 * Runs one step with its output captured; prints its output when it fails.
 * @param {string} title what the step checks, for the messages
 * @param {string} command
 * @param {string[]} args
 * @returns {{ ok: boolean, output: string }}
 */
function runStep(title, command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_offline: 'true' },
    shell: process.platform === 'win32',
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) {
    process.stderr.write(`release:dry-run: could not run ${title}: ${result.error.message}\n`);
    return { ok: false, output };
  }
  if (result.status !== 0) {
    process.stderr.write(`${output}\nrelease:dry-run: ${title} failed (exit ${result.status}); see above.\n`);
    return { ok: false, output };
  }
  return { ok: true, output };
}

const started = performance.now();
const buildStatus = buildIfStale(root);
if (buildStatus !== 0) process.exit(buildStatus);

const [pnpm, leadingArguments] = pnpmCommand();
const status = runStep('changeset status', pnpm, [...leadingArguments, 'exec', 'changeset', 'status']);
if (!status.ok) process.exit(1);
const bumps = status.output
  .split('\n')
  .filter((line) => line.startsWith('🦋'))
  .map((line) => line.replace(/^🦋\s+((info|warn)\s)?/, '').trim())
  .filter((line) => line !== '' && line !== '---');
console.log(`changeset status: ok\n  ${bumps.join('\n  ')}`);

const publish = runStep('pnpm -r publish --dry-run', pnpm, [
  ...leadingArguments,
  '-r',
  ...publishedFilters,
  'publish',
  '--dry-run',
  '--no-git-checks',
  '--access',
  'public',
]);
if (!publish.ok) process.exit(1);
const published = publish.output.split('\n').filter((line) => line.startsWith('+ '));
if (published.length === 0) {
  process.stderr.write(`${publish.output}\nrelease:dry-run: pnpm -r publish --dry-run published nothing.\n`);
  process.exit(1);
}
console.log(`pnpm -r publish --dry-run: ok, ${published.length} packages would be published`);
for (const line of published) console.log(`  ${line.slice(2)}`);
console.log(`release:dry-run: ok in ${((performance.now() - started) / 1000).toFixed(1)} s`);

// Whether the packages' builds (packages/*/dist) are older than their sources, and the build when they are;
// used by scripts/sirllm.mjs (pnpm sirllm, demo, bench) and scripts/build-if-stale.mjs (pnpm test).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files whose change means a package must be rebuilt (besides everything under its src/). */
const packageInputs = ['package.json', 'tsconfig.json', 'tsup.config.ts'];

/** The newest modification time (ms) of the files under `folder`, recursively; 0 if there are none. */
function newestFileTime(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestFileTime(path));
    else if (entry.isFile()) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The files a package's build writes that others load: `main`, the `import` of each export, the bins. */
function builtEntries(manifest) {
  const entries = new Set();
  if (typeof manifest.main === 'string') entries.add(manifest.main);
  const visit = (value) => {
    if (typeof value === 'string') {
      if (value.startsWith('./dist/') && value.endsWith('.js')) entries.add(value);
    } else if (value && typeof value === 'object') {
      for (const child of Object.values(value)) visit(child);
    }
  };
  visit(manifest.exports);
  visit(manifest.bin);
  return [...entries];
}

/**
 * Why the workspace must be rebuilt before its built CLI can run, or undefined when every package with a
 * build script has all its built entry files (`main`, export targets, `bin`) and none of them is older
 * than a file under its `src/`, its package.json, tsconfig.json or tsup.config.ts, or the root
 * tsconfig.base.json. Compares modification times only; nothing is read but directory listings and the
 * package manifests.
 */
export function staleReason(root) {
  const packagesFolder = join(root, 'packages');
  if (!existsSync(packagesFolder)) return `no packages folder in ${root}`;
  const baseConfig = join(root, 'tsconfig.base.json');
  const baseTime = existsSync(baseConfig) ? statSync(baseConfig).mtimeMs : 0;
  const names = readdirSync(packagesFolder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const name of names) {
    const folder = join(packagesFolder, name);
    const manifestPath = join(folder, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (typeof manifest.scripts?.build !== 'string') continue;
    let inputTime = baseTime;
    for (const input of packageInputs) {
      const path = join(folder, input);
      if (existsSync(path)) inputTime = Math.max(inputTime, statSync(path).mtimeMs);
    }
    if (existsSync(join(folder, 'src'))) inputTime = Math.max(inputTime, newestFileTime(join(folder, 'src')));
    for (const entry of builtEntries(manifest)) {
      const path = join(folder, entry);
      if (!existsSync(path)) return `packages/${name}/${entry.replace(/^\.\//, '')} is missing`;
      if (statSync(path).mtimeMs < inputTime) {
        return `packages/${name} changed since packages/${name}/${entry.replace(/^\.\//, '')} was built`;
      }
    }
  }
  return undefined;
}

/**
 * Runs `pnpm run build` at `root` when {@link staleReason} gives a reason, quietly (the build's output is
 * shown only if it fails); returns the exit status, 0 when the builds were fresh or the build succeeded.
 */
export function buildIfStale(root) {
  const reason = staleReason(root);
  if (reason === undefined) return 0;
  process.stderr.write(`sirllm: building the workspace first (${reason}) …\n`);
  // The pnpm that runs this script when there is one.
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

// Packs every published package of the workspace (packages/*, models/*; not `private` ones) with
// `pnpm pack`, which rewrites `workspace:*` dependencies to versions, as `pnpm publish` does.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The published packages: name, folder, manifest. */
export function publishedPackages(root) {
  const found = [];
  for (const parent of ['packages', 'models']) {
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
      const folder = join(root, parent, entry.name);
      const manifestPath = join(folder, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (!manifest.private) found.push({ name: manifest.name, folder, manifest });
    }
  }
  return found;
}

/** Packs each package into `destination`; returns name → tarball path. */
export function packWorkspace(root, destination) {
  const tarballs = new Map();
  for (const { name, folder } of publishedPackages(root)) {
    const output = execFileSync('pnpm', ['pack', '--pack-destination', destination], {
      cwd: folder,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const tarball = output.trim().split('\n').at(-1);
    if (!tarball?.endsWith('.tgz') || !existsSync(tarball))
      throw new Error(`pnpm pack of ${name} printed no tarball: ${output}`);
    tarballs.set(name, tarball);
  }
  return tarballs;
}

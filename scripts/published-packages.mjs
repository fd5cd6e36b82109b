// The workspace's published packages and how to pack them, shared by `pnpm lint:packages`,
// `pnpm release:dry-run` and `pnpm test:packed`.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The workspace folders whose subfolders are packages that may be published (not tools/ nor examples). */
export const packageParents = ['packages', 'models'];

/**
 * The published packages among `folders` (those whose package.json is not `private`), sorted by path;
 * by default every folder in packages/ and models/ of `root`.
 * @param {string} root
 * @param {string[]} [folders]
 * @returns {{ folder: string, manifest: Record<string, any> }[]}
 */
export function publishedPackages(root, folders = []) {
  const candidates =
    folders.length > 0
      ? folders.map((folder) => resolve(folder))
      : packageParents.flatMap((parent) =>
          readdirSync(join(root, parent), { withFileTypes: true })
            .filter((entry) => entry.isDirectory())
            .map((entry) => join(root, parent, entry.name)),
        );
  const packages = [];
  for (const folder of candidates) {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (manifest.private === true) continue;
    packages.push({ folder, manifest });
  }
  return packages.sort((left, right) => left.folder.localeCompare(right.folder));
}

/**
 * The command and leading arguments that run pnpm: the pnpm running this script when there is one.
 * @returns {[string, string[]]}
 */
export function pnpmCommand() {
  const pnpm = process.env.npm_execpath;
  if (pnpm && /pnpm/.test(pnpm) && /\.[cm]?js$/.test(pnpm)) return [process.execPath, [pnpm]];
  return ['pnpm', []];
}

/**
 * Packs the package in `folder` with `pnpm pack` (which rewrites `workspace:*` dependencies as publishing
 * does) into the empty folder `destination`; the tarball's path.
 * @param {string} folder
 * @param {string} destination
 */
export async function packPackage(folder, destination) {
  const [command, leadingArguments] = pnpmCommand();
  await run(command, [...leadingArguments, 'pack', '--pack-destination', destination], {
    cwd: folder,
    maxBuffer: 64 * 1024 * 1024,
    shell: process.platform === 'win32',
  });
  const tarballs = readdirSync(destination).filter((name) => name.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`pnpm pack in ${folder} wrote ${tarballs.length} tarballs`);
  return join(destination, tarballs[0]);
}

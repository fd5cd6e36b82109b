// The entry points that must run in browsers, and a check over a packed tarball that none of them reaches a
// Node built-in module (`node:fs`, `path`, …) through its own files: a page bundling it would fail to build,
// or break at run time. Used by scripts/lint-packages.mjs.
import { builtinModules } from 'node:module';
import { posix } from 'node:path';

/** Package name → the export subpaths that run in browsers (see docs/architecture.md). */
export const browserEntries = {
  '@sirllm/core': ['.'],
  '@sirllm/testkit': ['.'],
  '@sirllm/chat': ['.', './browser'],
  '@sirllm/eval': ['.'],
  '@sirllm/transformers': ['./browser'],
};

const builtins = new Set(builtinModules);
const isBuiltin = (specifier) => specifier.startsWith('node:') || builtins.has(specifier.split('/')[0]);
const importPattern =
  /(?:^|[;\s])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gmu;

/**
 * For each browser entry of the package in `files` (a tarball's files, names `package/…`), the Node built-ins
 * reachable from its JavaScript through relative imports, as "entry → file imports 'x'" lines; empty when clean.
 */
export function nodeImportsOfBrowserEntries(manifest, files) {
  const subpaths = browserEntries[manifest.name] ?? [];
  const byName = new Map(files.map((file) => [file.name.replace(/^[^/]+\//u, ''), file]));
  const problems = [];
  for (const subpath of subpaths) {
    const target = manifest.exports?.[subpath];
    const entry = typeof target === 'string' ? target : (target?.import ?? target?.default);
    if (typeof entry !== 'string') {
      problems.push(`${manifest.name}${subpath.slice(1)}: no such export`);
      continue;
    }
    const seen = new Set();
    const pending = [posix.normalize(entry)];
    while (pending.length > 0) {
      const path = pending.pop();
      if (seen.has(path)) continue;
      seen.add(path);
      const file = byName.get(path);
      if (!file) {
        problems.push(`${manifest.name}${subpath.slice(1)}: ${path} is imported but not in the tarball`);
        continue;
      }
      const text = new TextDecoder().decode(file.data);
      for (const match of text.matchAll(importPattern)) {
        const specifier = match[1] ?? match[2] ?? match[3];
        if (specifier.startsWith('.'))
          pending.push(posix.normalize(posix.join(posix.dirname(path), specifier)));
        else if (isBuiltin(specifier)) {
          problems.push(`${manifest.name}${subpath.slice(1)} (browser) → ${path} imports '${specifier}'`);
        }
      }
    }
  }
  return problems;
}

#!/usr/bin/env node
// `pnpm lint:packages`: lints every published package (each packages/* and models/* whose package.json is
// not private) as a user receives it. Each is packed with `pnpm pack` (so `workspace:*` dependencies become
// real versions and only the `files` that npm would publish are there), then the tarball is checked by
// publint (package.json fields, exports, files that the manifest names but the tarball lacks) and by Are the
// Types Wrong (the types of every export resolve, and match the JavaScript, under TypeScript's node16 and
// bundler resolution). The packages are ESM-only, so attw's "esm-only" profile applies: `require` and node10
// resolution are not checked. The packed package.json must name no workspace-only dependency, and
// @sirllm/core, which runs in browsers, is held to a budget on its gzipped JavaScript; the entry points that run
// in browsers (scripts/browser-entries.mjs) must reach no Node built-in module. Prints a table, then
// the findings; exits 1 on any publint error or warning, attw problem, workspace dependency or budget overrun
// that is not accepted below. `node scripts/lint-packages.mjs <folder>…` checks those package folders only.
// Builds the workspace first when a package's build is missing or older than its sources (as `pnpm test`).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { nodeImportsOfBrowserEntries } from './browser-entries.mjs';
import { buildIfStale } from './build-state.mjs';
import { packPackage, publishedPackages } from './published-packages.mjs';
import { tarballFiles } from './tarball-files.mjs';

const run = promisify(execFile);
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

/**
 * publint messages (errors, warnings or suggestions) that are accepted on purpose, each with its reason; any
 * other error or warning fails the check. `package` is the package name, `code` publint's message code.
 * @type {{ package: string, code: string, reason: string }[]}
 */
const acceptedPublintMessages = [];

/**
 * attw findings that are accepted on purpose, each with its reason. `kind` is attw's problem kind (e.g.
 * "NoResolution") or "Untyped" for an importable package that has no types at all. (A package with
 * nothing to import, see `hasModuleEntry`, is not checked by attw.)
 * @type {{ package: string, kind: string, reason: string }[]}
 */
const acceptedAttwFindings = [];

/** The resolutions attw's "esm-only" profile leaves out: the packages have no CommonJS entry on purpose. */
const ignoredResolutions = ['node10', 'node16-cjs'];

/**
 * Budgets (bytes) on the gzipped size (default gzip level) of the JavaScript a package publishes under dist/,
 * summed over the files. @sirllm/core runs in browsers; its budget is about 20% above the size measured
 * when the budget was set, so an accidental large import or bundled dependency shows here.
 * @type {Record<string, number>}
 */
const gzippedJavaScriptBudgets = {
  // Measured 25,302 bytes at 0.1.0 (December 2026).
  '@sirllm/core': 30_400,
};

/** publint's messages on the tarball at `tarballPath`, each with its text. */
async function publintMessages(tarballPath) {
  const bytes = readFileSync(tarballPath);
  const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const result = await publint({ pack: { tarball }, level: 'suggestion' });
  return result.messages.map((message) => ({
    code: message.code,
    type: message.type,
    text: formatMessage(message, result.pkg, { color: false }) ?? message.code,
  }));
}

/** The path of attw's command-line entry (its package's `bin`). */
function attwEntry() {
  const manifestPath = require.resolve('@arethetypeswrong/cli/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.attw;
  return join(dirname(manifestPath), bin);
}

/**
 * attw's verdict on the tarball at `tarballPath` under the esm-only profile: the entry points it checked and
 * its findings (problem kind, entry point, resolution), "Untyped" when the package has no types.
 */
async function attwFindings(tarballPath) {
  const argumentsList = [attwEntry(), tarballPath, '--format', 'json', '--profile', 'esm-only', '--no-color'];
  let output;
  try {
    ({ stdout: output } = await run(process.execPath, argumentsList, { maxBuffer: 256 * 1024 * 1024 }));
  } catch (error) {
    // attw exits 1 when it finds problems, with its report on stdout; anything else is a failure to check.
    if (error.code !== 1 || !error.stdout) throw new Error(`attw failed on ${tarballPath}: ${error.stderr}`);
    output = error.stdout;
  }
  const { analysis } = JSON.parse(output);
  const entrypoints = Object.keys(analysis.entrypoints ?? {});
  if (!analysis.types) return { entrypoints, findings: [{ kind: 'Untyped', where: 'package' }] };
  const findings = analysis.problems
    .filter(
      (problem) => !('resolutionKind' in problem) || !ignoredResolutions.includes(problem.resolutionKind),
    )
    .map((problem) => ({
      kind: problem.kind,
      where: [problem.entrypoint, problem.resolutionKind, problem.fileName].filter(Boolean).join(' '),
    }));
  return { entrypoints, findings };
}

/** The gzipped size (bytes) of the JavaScript files under dist/ among a tarball's `files`, summed. */
function gzippedJavaScriptSize(files) {
  let total = 0;
  for (const file of files) {
    if (/^[^/]+\/dist\/.+\.js$/.test(file.name)) total += gzipSync(file.data).length;
  }
  return total;
}

/** Dependency fields whose specifiers a user's package manager must be able to resolve from the registry. */
const dependencyFields = ['dependencies', 'peerDependencies', 'optionalDependencies'];

/**
 * The dependencies in the packed package.json among a tarball's `files` that still point into the workspace
 * (`workspace:`, `link:` or `file:` specifiers), which no user can install; `pnpm pack` should rewrite them.
 */
function unpublishableDependencies(files) {
  const manifestFile = files.find((file) => /^[^/]+\/package\.json$/.test(file.name));
  if (!manifestFile) return ['package.json is missing from the tarball'];
  const manifest = JSON.parse(new TextDecoder().decode(manifestFile.data));
  const found = [];
  for (const field of dependencyFields) {
    for (const [name, specifier] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|link|file):/.test(specifier)) found.push(`${field}.${name} is "${specifier}"`);
    }
  }
  return found;
}

/**
 * Whether the package has something to import: a `main`, or an export besides ./package.json. The `sirllm`
 * command (only a `bin`) and @sirllm/demo-model (model files) have none, so attw is not asked about them.
 */
function hasModuleEntry(manifest) {
  if (manifest.main !== undefined || typeof manifest.exports === 'string') return true;
  return Object.keys(manifest.exports ?? {}).some((subpath) => subpath !== './package.json');
}

/** Packs and checks one package; its row of the report. */
async function checkPackage(entry, workFolder) {
  const destination = mkdtempSync(join(workFolder, 'package-'));
  const name = entry.manifest.name;
  const tarballPath = await packPackage(entry.folder, destination);
  const importable = hasModuleEntry(entry.manifest);
  const [messages, types] = await Promise.all([
    publintMessages(tarballPath),
    importable ? attwFindings(tarballPath) : { entrypoints: [], findings: [], nothingToImport: true },
  ]);
  const publintReason = (message) =>
    acceptedPublintMessages.find((accepted) => accepted.package === name && accepted.code === message.code)
      ?.reason;
  const attwReason = (finding) =>
    acceptedAttwFindings.find((accepted) => accepted.package === name && accepted.kind === finding.kind)
      ?.reason;
  const acceptedFindings = types.findings.filter((finding) => attwReason(finding) !== undefined);
  const failingFindings = types.findings.filter((finding) => attwReason(finding) === undefined);
  const budget = gzippedJavaScriptBudgets[name];
  const files = tarballFiles(tarballPath);
  const size = budget === undefined ? undefined : { bytes: gzippedJavaScriptSize(files), budget };
  const failures = [
    ...messages
      .filter((message) => message.type !== 'suggestion' && publintReason(message) === undefined)
      .map((message) => `publint ${message.type} ${message.code}: ${message.text}`),
    ...failingFindings.map((finding) => `attw ${finding.kind} (${finding.where})`),
    ...unpublishableDependencies(files).map((problem) => `packed package.json: ${problem}`),
    ...nodeImportsOfBrowserEntries(entry.manifest, files),
  ];
  if (size && size.bytes > size.budget) {
    failures.push(`gzipped dist JavaScript is ${size.bytes} bytes, over its budget of ${size.budget}`);
  }
  const notes = [
    ...messages
      .filter((message) => message.type === 'suggestion' || publintReason(message) !== undefined)
      .map((message) => {
        const reason = publintReason(message);
        const verdict = reason === undefined ? 'suggestion, not failing' : `accepted: ${reason}`;
        return `publint ${message.type} ${message.code} (${verdict}): ${message.text}`;
      }),
    ...acceptedFindings.map(
      (finding) => `attw ${finding.kind} (${finding.where}) accepted: ${attwReason(finding)}`,
    ),
  ];
  return { name, folder: entry.folder, messages, types, acceptedFindings, size, failures, notes };
}

/** The row of a package that could not be packed or checked at all. */
function failedRow(entry, error) {
  const firstLine = String(error?.stdout || error?.message || error)
    .trim()
    .split('\n')[0];
  return {
    name: entry.manifest.name,
    folder: entry.folder,
    messages: [],
    types: { entrypoints: [], findings: [] },
    acceptedFindings: [],
    size: undefined,
    failures: [`could not pack and check it: ${firstLine}`],
    notes: [],
    unchecked: true,
  };
}

/** Runs `work` on every item, at most `limit` at a time; the results in the items' order. */
async function mapWithLimit(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** "1 error", "2 errors": `count` and `noun`, plural unless the count is 1. */
function counted(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The publint cell: errors, warnings and suggestions counted. */
function publintCell(row) {
  if (row.unchecked) return 'not checked';
  const { messages } = row;
  const count = (type) => messages.filter((message) => message.type === type).length;
  return ['error', 'warning', 'suggestion'].map((type) => counted(count(type), type)).join(', ');
}

/** The attw cell: "ok" with the number of entry points checked, or the findings counted. */
function attwCell(row) {
  if (row.unchecked) return 'not checked';
  if (row.types.nothingToImport) return 'nothing to import';
  const { entrypoints, findings } = row.types;
  if (findings.length === 0) return `ok (${entrypoints.length} entry points)`;
  const accepted = row.acceptedFindings.map((finding) => finding.kind);
  const failing = findings.length - accepted.length;
  if (failing === 0) return `accepted: ${[...new Set(accepted)].join(', ')}`;
  return `${counted(failing, 'problem')}${accepted.length > 0 ? `, ${accepted.length} accepted` : ''}`;
}

/** Prints `rows` as an aligned text table with a header row. */
function printTable(header, rows) {
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
  const line = (row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

const started = performance.now();
const buildStatus = buildIfStale(root);
if (buildStatus !== 0) process.exit(buildStatus);
const workFolder = mkdtempSync(join(tmpdir(), 'sirllm-lint-packages-'));
let results;
try {
  const limit = Math.max(1, Math.min(4, availableParallelism()));
  results = await mapWithLimit(publishedPackages(root, process.argv.slice(2)), limit, (entry) =>
    checkPackage(entry, workFolder).catch((error) => failedRow(entry, error)),
  );
} finally {
  rmSync(workFolder, { recursive: true, force: true });
}

printTable(
  ['package', 'folder', 'publint', 'attw (esm-only)', 'gzipped dist/*.js', 'result'],
  results.map((row) => [
    row.name,
    relative(root, row.folder),
    publintCell(row),
    attwCell(row),
    row.size ? `${row.size.bytes} B (budget ${row.size.budget} B)` : '-',
    row.failures.length === 0 ? 'ok' : 'FAIL',
  ]),
);
for (const row of results) {
  if (row.failures.length === 0 && row.notes.length === 0) continue;
  console.log(`\n${row.name}:`);
  for (const failure of row.failures) console.log(`  FAIL ${failure}`);
  for (const note of row.notes) console.log(`  note ${note}`);
}
const failed = results.filter((row) => row.failures.length > 0);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `\n${counted(results.length, 'published package')} checked in ${seconds} s; ` +
    (failed.length === 0
      ? 'all pass.'
      : `${failed.length} failed: ${failed.map((row) => row.name).join(', ')}.`),
);
process.exitCode = failed.length === 0 ? 0 : 1;

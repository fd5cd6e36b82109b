#!/usr/bin/env node
// `pnpm test:packed`: what a user installs is what we test. Packs every published package, installs the
// tarballs with npm into a project in a temporary folder outside the workspace (no workspace links, no
// ../shared), and there: type-checks a consumer importing every entry point under moduleResolution node16
// and bundler, runs the examples on Node (the AI SDK ones on Node >= 22 when SIRLLM_NODE22 names one),
// runs `npx sirllm demo`, and, when SIRLLM_BUN / SIRLLM_DENO name those runtimes, runs the examples they
// claim (Bun after its own `bun install`). Needs `pnpm build` first.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packPackage, publishedPackages } from '../published-packages.mjs';
import { consumerSource, consumerTsconfig, thirdPartyDependencies } from './consumer-files.mjs';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const work = mkdtempSync(join(tmpdir(), 'sirllm-packed-'));
const keep = process.env.SIRLLM_KEEP_PACKED === '1';
const results = [];
let failed = false;

/** Runs one check: a command in a folder, passing when it exits 0 and prints `expect` (a RegExp). */
function check(name, command, args, { cwd, expect, env } = {}) {
  const started = performance.now();
  const run = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const ok = run.status === 0 && (expect === undefined || expect.test(output));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  results.push([name, ok ? 'ok' : 'FAILED', `${seconds} s`]);
  if (!ok) {
    failed = true;
    console.error(
      `--- ${name} failed (exit ${run.status}${run.error ? `, ${run.error.message}` : ''}):\n${output.slice(-4000)}`,
    );
  }
  return ok;
}

try {
  // 1. Pack (each package into its own folder).
  const published = publishedPackages(root);
  const tarballs = new Map();
  for (const { folder, manifest } of published) {
    const destination = join(work, 'tarballs', manifest.name.replace('/', '+'));
    mkdirSync(destination, { recursive: true });
    tarballs.set(manifest.name, await packPackage(folder, destination));
  }
  const entryPoints = published.flatMap(({ manifest }) =>
    Object.entries(manifest.exports ?? {})
      .filter(([subpath, target]) => subpath !== './package.json' && JSON.stringify(target).includes('.js'))
      .map(([subpath]) => `${manifest.name}${subpath.slice(1)}`),
  );

  // 2. A consumer project: our tarballs and the third-party packages a user adds.
  const project = join(work, 'project');
  mkdirSync(project, { recursive: true });
  const { dependencies, devDependencies } = thirdPartyDependencies(root);
  const manifest = {
    name: 'sirllm-consumer',
    private: true,
    type: 'module',
    dependencies: {
      ...Object.fromEntries([...tarballs].map(([name, file]) => [name, `file:${file}`])),
      ...dependencies,
    },
    devDependencies,
  };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // As the workspace does: no dependency install scripts (npm 11's default), onnxruntime-node's skipped.
  writeFileSync(join(project, '.npmrc'), 'onnxruntime-node-install=skip\nignore-scripts=true\n');
  check(
    'npm install (the packed tarballs)',
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error'],
    {
      cwd: project,
    },
  );

  // 3. Types, under both module resolutions users configure.
  writeFileSync(join(project, 'consumer.ts'), consumerSource(entryPoints));
  for (const mode of ['node16', 'bundler']) {
    writeFileSync(join(project, `tsconfig.${mode}.json`), consumerTsconfig(mode));
    check(
      `types: every entry point under moduleResolution ${mode}`,
      join(project, 'node_modules', '.bin', 'tsc'),
      ['-p', `tsconfig.${mode}.json`],
      { cwd: project },
    );
  }

  // 4. The examples, as copied by a user, finding the model where the examples expect it (../models/…),
  // which here is the installed @sirllm/demo-model package.
  cpSync(join(root, 'examples'), join(project, 'examples'), {
    recursive: true,
    filter: (source) =>
      !/node_modules|[\\/]test[\\/]?|documentation|\.documentation-code/.test(source.slice(root.length)),
  });
  mkdirSync(join(project, 'models'));
  symlinkSync(
    join(project, 'node_modules', '@sirllm', 'demo-model'),
    join(project, 'models', 'sirllm-grocery-demo'),
  );
  const markers = {
    'quickstart.mjs': /SirLLM: "cheese" — remembers the grocery/,
    'remember.mjs': /^honey \{/m,
    'langchain-chain.mjs': /alice asked for cheese; the model answered cheese: remembered/,
    'langchain-agent.mjs': /final answer: "OK"/,
    'transformers.mjs': /recall: salmon/,
    'bun-snapshot.mjs': /model: bananas/,
    'deno-memory.mjs': /model: tofu {2}\(remembered\)/,
    'ai-sdk/chat.mjs': /asked for cheese; the model answered cheese: remembered/,
    'ai-sdk/use-chat.mjs': /\[kitchen\] regenerated "honey"/,
  };
  const claims = (file) =>
    (/^\/\/ Runtimes: (.+)$/m.exec(readFileSync(join(project, 'examples', file), 'utf8'))?.[1] ?? '')
      .split(',')
      .map((name) => name.trim());
  const runtimes = [
    ['node', process.execPath, []],
    ...(process.env.SIRLLM_NODE22 ? [['node22', process.env.SIRLLM_NODE22, []]] : []),
    ...(process.env.SIRLLM_BUN ? [['bun', process.env.SIRLLM_BUN, ['--no-install']]] : []),
    ...(process.env.SIRLLM_DENO
      ? [['deno', process.env.SIRLLM_DENO, ['run', '-A', '--node-modules-dir=manual']]]
      : []),
  ];
  for (const [runtime, executable, args] of runtimes) {
    if (runtime === 'bun') {
      // Bun installs the same manifest itself (its resolver, its linker), in a copy of the project.
      const bunProject = join(work, 'bun-project');
      cpSync(project, bunProject, { recursive: true, filter: (source) => !source.includes('node_modules') });
      rmSync(join(bunProject, 'models'), { recursive: true, force: true });
      check('bun install (the packed tarballs)', executable, ['install', '--ignore-scripts'], {
        cwd: bunProject,
      });
      mkdirSync(join(bunProject, 'models'));
      symlinkSync(
        join(bunProject, 'node_modules', '@sirllm', 'demo-model'),
        join(bunProject, 'models', 'sirllm-grocery-demo'),
      );
      for (const [file, expect] of Object.entries(markers)) {
        if (claims(file).includes('bun'))
          check(`bun examples/${file}`, executable, [...args, join('examples', file)], {
            cwd: bunProject,
            expect,
          });
      }
      continue;
    }
    for (const [file, expect] of Object.entries(markers)) {
      const claimed = claims(file);
      const runs = runtime === 'node22' ? claimed.includes('node22') : claimed.includes(runtime);
      if (runs)
        check(`${runtime} examples/${file}`, executable, [...args, join('examples', file)], {
          cwd: project,
          expect,
        });
    }
  }

  // Deno, importing through npm: specifiers (resolved from the npm-installed node_modules).
  if (process.env.SIRLLM_DENO) {
    const version = (name) =>
      JSON.parse(readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8')).version;
    writeFileSync(
      join(project, 'deno-npm-specifiers.mjs'),
      [
        `import { MemorySession, sirllm } from 'npm:@sirllm/core@${version('@sirllm/core')}';`,
        `import { createTransformersBackend } from 'npm:@sirllm/transformers@${version('@sirllm/transformers')}';`,
        "const model = new URL('./models/sirllm-grocery-demo', import.meta.url).pathname;",
        'const backend = await createTransformersBackend({ model, threads: 1 });',
        'const session = await MemorySession.create({ backend, capacity: 64, policy: sirllm() });',
        "await session.respond('I want you to buy the GROCERY: [tofu].', { maxTokens: 4 });",
        "console.log('npm: specifiers:', session.statistics.resident, 'tokens resident');",
        'await session.dispose();',
        'await backend.dispose();',
        '',
      ].join('\n'),
    );
    check(
      'deno: a script importing npm:@sirllm/… specifiers',
      process.env.SIRLLM_DENO,
      ['run', '-A', '--node-modules-dir=manual', '--no-lock', 'deno-npm-specifiers.mjs'],
      { cwd: project, expect: /npm: specifiers: [1-9]\d* tokens resident/ },
    );
  }

  // 5. What a user who clones nothing runs.
  // Eight of the fifty held-out episodes: the same command, a third of a minute instead of three.
  check(
    'npx sirllm demo --episodes 8 (nothing cloned)',
    'npx',
    ['--no-install', 'sirllm', 'demo', '--episodes', '8'],
    {
      cwd: project,
      expect: /\| SirLLM \| (8\d|9\d|100)(\.\d+)? % [\s\S]*\| StreamingLLM \| ([0-5]?\d)(\.\d+)? % /,
    },
  );
} finally {
  const width = Math.max(...results.map(([name]) => name.length), 10);
  console.log(`\npacked install (${work}):`);
  for (const [name, status, time] of results)
    console.log(`  ${name.padEnd(width)}  ${status.padEnd(6)}  ${time}`);
  if (!keep) rmSync(work, { recursive: true, force: true });
}
if (failed) {
  console.error('packed install: FAILED');
  process.exit(1);
}
console.log('packed install: ok');

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * Runs every example under the runtime running this test (Node, Bun or Deno), when the example claims
 * that runtime (its `// Runtimes:` line), and checks what it prints. The examples import the packages'
 * built `dist/`, as a user's program would.
 */

type Runtime = 'node' | 'bun' | 'deno';
/** What an example's `// Runtimes:` line may name: a runtime, or `node22` (Node >= 22 only, as `ai` 7 needs). */
type RuntimeClaim = Runtime | 'node22';

const runtime: Runtime = 'Deno' in globalThis ? 'deno' : process.versions.bun ? 'bun' : 'node';
const nodeMajor = Number(process.versions.node.split('.')[0]);
const examplesFolder = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const built = [
  'core',
  'chat',
  'langchain-adapter',
  'ai-sdk',
  'llamacpp-adapter',
  'transformers-adapter',
].every((name) => existsSync(join(repositoryRoot, 'packages', name, 'dist', 'index.js')));

/** The arguments that make `process.execPath` run one script, the way CI runs each runtime. */
function runtimeArguments(script: string): string[] {
  switch (runtime) {
    case 'deno':
      return ['run', '-A', '--cached-only', '--node-modules-dir=manual', '--no-lock', script];
    case 'bun':
      return ['--no-install', script];
    default:
      return [script];
  }
}

/** The runtimes an example claims, from its `// Runtimes: node, bun` line (none for a module it imports). */
function runtimesOf(file: string): RuntimeClaim[] {
  const line = /^\/\/ Runtimes: (.+)$/mu.exec(readFileSync(join(examplesFolder, file), 'utf8'))?.[1];
  return line === undefined ? [] : line.split(',').map((name) => name.trim() as RuntimeClaim);
}

/** Whether the runtime running this test is one the example claims. */
function claims(file: string): boolean {
  const claimed = runtimesOf(file);
  return claimed.includes(runtime) || (runtime === 'node' && nodeMajor >= 22 && claimed.includes('node22'));
}

async function run(file: string): Promise<string> {
  const started = performance.now();
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      runtimeArguments(join(examplesFolder, file)),
      {
        cwd: repositoryRoot,
        timeout: 150_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    console.log(`${file} under ${runtime}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${file} failed under ${runtime}: ${String(error)}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
    );
  }
}

/** Every number captured by `pattern` (global) in `text`, in order. */
function numbers(text: string, pattern: RegExp): number[] {
  return [...text.matchAll(pattern)].map((match) => Number(match[1]));
}

/** What each example must print. */
const expectations: Record<string, (stdout: string) => void> = {
  'quickstart.mjs': (stdout) => {
    expect(stdout).toMatch(/^SirLLM: "cheese" — remembers the grocery$/mu);
    expect(stdout).toMatch(/^SirLLM[\s\S]*?"cheese" from the first turn: resident, \d+\.\d nats$/mu);
    // StreamingLLM keeps only the newest tokens: the request is gone, whatever the model then guesses.
    expect(stdout).toMatch(/^StreamingLLM: [\s\S]*"cheese" from the first turn: evicted$/mu);
    const conversations = numbers(stdout, /conversation (\d+) tokens: (?:\d+) resident/gu);
    const resident = numbers(stdout, /conversation \d+ tokens: (\d+) resident/gu);
    expect(resident).toHaveLength(2);
    for (const [index, length] of conversations.entries()) {
      expect(resident[index]).toBeLessThanOrEqual(128);
      expect(length).toBeGreaterThan(2 * 128);
    }
  },
  'remember.mjs': (stdout) => {
    // The README's first example: the grocery of the first turn, recalled after the cache overflowed.
    expect(stdout).toMatch(/^honey \{/u);
    const resident = numbers(stdout, /resident: (\d+)/gu)[0] as number;
    const evicted = numbers(stdout, /evicted: (\d+)/gu)[0] as number;
    expect(resident).toBeLessThanOrEqual(128);
    expect(evicted).toBeGreaterThan(resident);
  },
  'langchain-chain.mjs': (stdout) => {
    expect(stdout).toMatch(/^alice asked for cheese; the model answered cheese: remembered$/mu);
    expect(stdout).toMatch(/^bob asked for coffee; the model answered coffee: remembered$/mu);
    for (const session of ['alice', 'bob']) {
      const lines = stdout.split('\n').filter((line) => line.startsWith(`[${session}] model:`));
      expect(lines).toHaveLength(6);
      for (const line of lines) expect(line).toContain('rebuilt: false');
      const cacheRead = numbers(lines.join('\n'), /cache_read (\d+)/gu);
      expect(cacheRead[0]).toBe(0);
      for (let turn = 1; turn < cacheRead.length; turn++) {
        expect(cacheRead[turn]).toBeGreaterThan(cacheRead[turn - 1] as number);
      }
      // The history outgrew the 128-token cache, and the last answer still came from memory.
      expect(numbers(lines.at(-1) ?? '', /evicted (\d+)/gu)[0]).toBeGreaterThan(50);
    }
  },
  'langchain-agent.mjs': (stdout) => {
    expect(stdout).toMatch(/^tool call: read_shopping_list\(\{\}\) {2}finish_reason: constraint-complete$/mu);
    expect(stdout).toMatch(/^tool result: I want you to buy the GROCERY: \[cheese\]\.$/mu);
    expect(stdout).toMatch(/^final answer: "OK"$/mu);
    expect(stdout).toMatch(/session alice: rebuilt: false/u);
    expect(numbers(stdout, /evaluated (\d+) new tokens/gu)[0]).toBeLessThan(40);
    expect(numbers(stdout, /cache_read (\d+)/gu)[0]).toBeGreaterThan(200);
  },
  'transformers.mjs': (stdout) => {
    expect(stdout).toMatch(/^memory: \d+\/128 tokens resident, [1-9]\d* evicted$/mu);
    const likelihoods = Object.fromEntries(
      [...stdout.matchAll(/^ {2}(\w+) +log-likelihood (-?\d+\.\d+)$/gmu)].map((match) => [
        match[1],
        Number(match[2]),
      ]),
    );
    expect(Object.keys(likelihoods)).toEqual(['butter', 'rice', 'salmon', 'yogurt']);
    for (const other of ['butter', 'rice', 'yogurt']) {
      expect(likelihoods.salmon).toBeGreaterThan((likelihoods[other] as number) + 2);
    }
    expect(stdout).toMatch(/^recall: salmon$/mu);
  },
  'bun-snapshot.mjs': (stdout) => {
    const saved = /^saved: \d+ bytes, (\d+) resident tokens, (\d+) evicted, (\d+) turns$/mu.exec(stdout);
    const restored = /^restored: (\d+) resident tokens, (\d+) evicted, (\d+) turns$/mu.exec(stdout);
    expect(saved?.slice(1)).toEqual(restored?.slice(1));
    expect(stdout).toMatch(/^model: bananas {2}\(\d+ tokens evicted in all\)$/mu);
  },
  'ai-sdk/chat.mjs': (stdout) => {
    expect(stdout).toMatch(/^asked for cheese; the model answered cheese: remembered$/mu);
    const lines = stdout.split('\n').filter((line) => line.startsWith('model:'));
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toContain('rebuilt: false');
    const cacheRead = numbers(lines.join('\n'), /cacheRead (\d+)/gu);
    const evaluated = numbers(lines.join('\n'), /evaluated (\d+)/gu);
    expect(cacheRead[0]).toBe(0);
    for (let turn = 1; turn < cacheRead.length; turn++) {
      expect(cacheRead[turn]).toBeGreaterThan(cacheRead[turn - 1] as number);
      expect(evaluated[turn]).toBeLessThan(60);
    }
    // The conversation outgrew the 128-token cache; the recall still came from memory.
    expect(numbers(lines.at(-1) ?? '', /evicted (\d+)/gu)[0]).toBeGreaterThan(50);
  },
  'ai-sdk/use-chat.mjs': (stdout) => {
    expect(stdout).toMatch(/^\[kitchen\] "OK" {2}cacheRead 0, evaluated \d+$/mu);
    expect(stdout).toMatch(/^\[garage\] "OK" {2}cacheRead 0, evaluated \d+$/mu);
    expect(stdout).toMatch(/^\[kitchen\] "honey" {2}cacheRead [1-9]\d*, evaluated \d+$/mu);
    expect(stdout).toMatch(/^\[garage\] "salmon" {2}cacheRead [1-9]\d*, evaluated \d+$/mu);
    // The regenerated reply: same answer, only the reply's opening evaluated again.
    const regenerated = /^\[kitchen\] regenerated "honey" {2}cacheRead (\d+), evaluated (\d+)$/mu.exec(
      stdout,
    );
    expect(regenerated).not.toBeNull();
    expect(Number(regenerated?.[2])).toBeLessThan(10);
    expect(stdout).toMatch(/^live sessions: 2$/mu);
  },
  'deno-memory.mjs': (stdout) => {
    const reports = stdout.split('\n').filter((line) => / resident +\d+ evicted /u.test(line));
    expect(reports).toHaveLength(6);
    for (const line of reports) expect(line).toMatch(/"tofu" resident at cell \d+, score \d+\.\d$/u);
    expect(numbers(reports.at(-1) ?? '', /(\d+) evicted/gu)[0]).toBeGreaterThan(96);
    expect(stdout).toMatch(/^model: tofu {2}\(remembered\)$/mu);
  },
};

/**
 * The examples: every `.mjs` file at the top level, and in the example folders (`ai-sdk/`) every file with
 * a `// Runtimes:` line (the others there are modules those import, such as a route handler).
 */
const exampleFolders = ['ai-sdk'];
const examples = [
  ...readdirSync(examplesFolder).filter((file) => file.endsWith('.mjs')),
  ...exampleFolders.flatMap((folder) =>
    readdirSync(join(examplesFolder, folder))
      .filter((file) => file.endsWith('.mjs'))
      .map((file) => `${folder}/${file}`)
      .filter((file) => runtimesOf(file).length > 0),
  ),
].sort();

describe(`examples under ${runtime}`, () => {
  it('every example says which runtimes it runs on and has its output checked here', () => {
    expect(examples.length).toBeGreaterThan(0);
    for (const file of examples) {
      const runtimes = runtimesOf(file);
      expect(runtimes.length, file).toBeGreaterThan(0);
      for (const name of runtimes)
        expect(['node', 'node22', 'bun', 'deno'], `${file}: ${name}`).toContain(name);
      expect(Object.keys(expectations), file).toContain(file);
    }
    expect(Object.keys(expectations).sort()).toEqual(examples);
  });

  for (const file of examples) {
    it.skipIf(!built || !claims(file))(
      `${file} (${runtimesOf(file).join(', ')}; needs pnpm run build)`,
      async () => {
        const stdout = await run(file);
        expectations[file]?.(stdout);
      },
      180_000,
    );
  }
});

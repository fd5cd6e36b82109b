import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { groceryEpisodes } from '@sirllm/eval';
import { createTinyLlama, createTokenizer, tinyLlamaToGguf } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import { runCommandLine } from '../../src/command-line.js';
import { userTurn } from '../../src/inspect/run-conversation.js';
import { recordingIo } from '../recording-io.js';
import { tinyDailyDialogFolder } from '../tiny-dailydialog.js';
import { bundledModelFolder } from './user-path-backends.js';

// User path 4: the `sirllm` command, in-process through runCommandLine and as a child process of the
// built bin (what a user runs). The backends are the command's own: reference (testkit model),
// llamacpp and transformers (the bundled model).

const cliFolder = fileURLToPath(new URL('../..', import.meta.url));
const builtBin = join(cliFolder, 'dist', 'bin.js');
const tinyModel = 'tiny:hiddenSize=16,intermediateSize=16';
const bundledGguf = () => join(bundledModelFolder(), 'sirllm-grocery-demo.f32.gguf');

/** Runs the built `sirllm` as a user would: Node, a fresh process, SIRLLM_DATA unset, no colour. */
function runBuiltCli(
  argumentsList: readonly string[],
  { input = '', cwd = tmpdir() }: { input?: string; cwd?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(builtBin)) {
    throw new Error(
      `${builtBin} is missing: run "pnpm build" first (this test runs the built sirllm command)`,
    );
  }
  const environment: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete environment.SIRLLM_DATA;
  // Under Bun or Deno (the CI's other runtimes) the bin still runs on Node, as installed users run it.
  const node = process.versions.bun || process.versions.deno ? 'node' : process.execPath;
  return new Promise((resolve, reject) => {
    // Killed after 100 s, so a command that hangs (e.g. waiting for input that has ended) fails the test.
    const child = spawn(node, [builtBin, ...argumentsList], { cwd, env: environment, timeout: 100_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (piece: string) => {
      stdout += piece;
    });
    child.stderr.setEncoding('utf8').on('data', (piece: string) => {
      stderr += piece;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** `[memory R/C resident · E evicted so far…]` lines. */
function memoryLines(text: string): { resident: number; capacity: number; evicted: number }[] {
  return [...text.matchAll(/^\[memory (\d+)\/(\d+) resident · (\d+) evicted so far.*\]$/gmu)].map(
    (match) => ({
      resident: Number(match[1]),
      capacity: Number(match[2]),
      evicted: Number(match[3]),
    }),
  );
}

describe('sirllm chat', () => {
  const lines = ['Hello there.', 'What is a good breakfast?', 'Thanks!'];
  const maxTokens = 4;

  /** Every line was answered: one memory line per input line, the cache growing by each turn (no eviction at 256). */
  function expectEveryLineAnswered(memory: ReturnType<typeof memoryLines>): void {
    expect(memory).toHaveLength(lines.length);
    let previous = 0;
    for (const line of memory) {
      expect(line.capacity).toBe(256);
      expect(line.evicted).toBe(0);
      // At least the typed words and one more token (format or reply), at most a short turn.
      expect(line.resident - previous).toBeGreaterThan(2);
      expect(line.resident - previous).toBeLessThan(64);
      previous = line.resident;
    }
  }

  it('in-process: answers each of three typed lines, then ends with the input', async () => {
    const { io, error, text } = recordingIo({ lines: [...lines] });
    expect(await runCommandLine(['chat', '--model', tinyModel, '--max-tokens', String(maxTokens)], io)).toBe(
      0,
    );
    expectEveryLineAnswered(memoryLines(error.join('\n')));
    // One reply line per turn (a sampled reply may hold a newline of its own).
    expect(text.join('').match(/\n/gu)?.length).toBeGreaterThanOrEqual(lines.length);
  });

  it('child process: `printf "…\\n…\\n…\\n" | sirllm chat` answers every piped line, not just the first', async () => {
    const result = await runBuiltCli(['chat', '--model', tinyModel, '--max-tokens', String(maxTokens)], {
      input: `${lines.join('\n')}\n`,
    });
    expect(result.code, result.stderr).toBe(0);
    expectEveryLineAnswered(memoryLines(result.stderr));
  });
});

describe("sirllm chat on the bundled model (child process, the model's chat template)", () => {
  for (const [backend, model] of [
    ['llamacpp', bundledGguf],
    ['transformers', bundledModelFolder],
  ] as const) {
    it(`${backend}: answers every piped line in the chat format, each reply ended by the end-of-turn token`, async () => {
      const turns = [
        'I want you to buy the GROCERY: [honey].',
        'Where do people keep milk? Choices:  (A) fridge (B) oven (C) car (D) sky (E) book',
        'Which one is the GROCERY that I want you to buy earlier? Choices:  (A) jelly (B) honey (C) rice (D) tea',
      ];
      const result = await runBuiltCli(
        ['chat', '--backend', backend, '--model', model(), '--capacity', '256', '--max-tokens', '12'],
        { input: `${turns.join('\n')}\n` },
      );
      expect(result.code, result.stderr).toBe(0);
      const memory = memoryLines(result.stderr);
      expect(memory).toHaveLength(turns.length);
      const replies = result.stdout.split('\n').slice(0, turns.length);
      for (const reply of replies) {
        expect(reply.trim().length).toBeGreaterThan(0);
        // The reply stopped at the template's end-of-turn token: no markup leaks into the text.
        expect(reply).not.toMatch(/<\|/u);
      }
      // Each turn fed its user message in the template plus a short reply (the template, not "USER:").
      expect(result.stdout).not.toContain('USER:');
    }, 120_000);
  }
});

describe('sirllm inspect', () => {
  const turns = [
    'My locker code is QX-7731 and my cat is Mochi.',
    'What is a good breakfast?',
    'How do I keep basil alive?',
  ];
  const capacity = 24;
  const turnsFile = () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sirllm-user-paths-turns-')), 'turns.txt');
    writeFileSync(path, `${turns.join('\n')}\n`);
    return path;
  };
  const inspect = (backend: string, model: string) =>
    ['inspect', '--backend', backend, '--model', model, '--policy', 'streaming-llm'].concat([
      '--capacity',
      String(capacity),
      '--max-tokens',
      '0',
      '--turns',
      turnsFile(),
      '--no-color',
    ]);

  it('reference: StreamingLLM keeps the 4 sinks and the newest tokens, exactly as the view shows', async () => {
    const { io, out } = recordingIo();
    expect(await runCommandLine(inspect('reference', tinyModel), io)).toBe(0);
    // Hand-computed: the turns' tokens; the first 4 and the last capacity − 4 stay, the rest are dots.
    const tokenizer = createTokenizer();
    const tokens = turns.flatMap((turn, index) =>
      tokenizer.encode(`${index === 0 ? '' : '\n'}${userTurn(turn)}`),
    );
    const body = tokens
      .map((token, position) => {
        const text = tokenizer.decode([token]).replaceAll('\n', '⏎');
        return position < 4 || position >= tokens.length - (capacity - 4) ? text : '·'.repeat(text.length);
      })
      .join('');
    const output = out.join('\n');
    expect(output).toContain(
      `policy streaming-llm · ${capacity}/${capacity} resident · ${tokens.length - capacity} evicted`,
    );
    expect(output).toContain(`\nuser> ${body}\n`);
  });

  for (const [backend, model] of [
    ['llamacpp', bundledGguf],
    ['transformers', bundledModelFolder],
  ] as const) {
    it(`${backend} (bundled model): the newest turn stays visible, the first turn's code is evicted`, async () => {
      const { io, out } = recordingIo();
      expect(await runCommandLine(inspect(backend, model()), io)).toBe(0);
      const output = out.join('\n');
      const header = /policy streaming-llm · (\d+)\/(\d+) resident · (\d+) evicted/u.exec(output);
      expect(header?.slice(1, 3)).toEqual([String(capacity), String(capacity)]);
      expect(Number(header?.[3])).toBeGreaterThan(capacity);
      expect(output).toMatch(/basil alive\?⏎⏎ASSISTANT:\n/u);
      expect(output).not.toContain('QX-7731');
      expect(output).not.toContain('Mochi');
    });
  }
});

describe('sirllm eval --limit 1', () => {
  it('reference backend, a tiny DailyDialog folder: one item scored per policy, reports written', async () => {
    const data = tinyDailyDialogFolder('sirllm-user-paths-data-');
    const out = mkdtempSync(join(tmpdir(), 'sirllm-user-paths-out-'));
    const io = recordingIo();
    const code = await runCommandLine(
      [
        'eval',
        'dailydialog',
        '--backend',
        'reference',
        '--model',
        tinyModel,
        '--data',
        data,
        '--out',
        out,
      ].concat(['--policy', 'sirllm,streaming-llm', '--capacity', '96', '--limit', '1']),
      io.io,
    );
    expect(code, io.error.join('\n')).toBe(0);
    const [folder] = readdirSync(out);
    const results = JSON.parse(readFileSync(join(out, folder as string, 'results.json'), 'utf8'));
    expect(results.config.limit).toBe(1);
    expect(results.policies.map((policy: { policy: string }) => policy.policy)).toEqual([
      'sirllm',
      'streaming-llm',
    ]);
    for (const policy of results.policies) expect(policy.metrics.accuracy.count).toBe(1);
    expect(io.out.join('\n')).toContain('| model | SirLLM | Stream |');
    expect(existsSync(join(out, folder as string, 'chart.svg'))).toBe(true);
  });

  for (const backend of ['llamacpp', 'transformers'] as const) {
    it(`${backend} (bundled model), held-out episode 350: SirLLM at capacity 512 recalls the grocery`, async () => {
      const data = join(bundledModelFolder(), 'data');
      // Hand-counted from the data file: episode 350's request, questions and recall.
      const questions = groceryEpisodes(readFileSync(join(data, 'grocery', 'keys.jsonl'), 'utf8'), 1)[0]
        ?.questions.length;
      const out = mkdtempSync(join(tmpdir(), 'sirllm-user-paths-out-'));
      const io = recordingIo();
      const model = backend === 'llamacpp' ? bundledGguf() : bundledModelFolder();
      const code = await runCommandLine(
        [
          'eval',
          'grocery',
          '--backend',
          backend,
          '--model',
          model,
          '--data',
          data,
          '--out',
          out,
          '--limit',
          '1',
        ]
          .concat(['--policy', 'sirllm', '--capacity', '512', '--decay', '1', '--threads', '1'])
          .concat(['--prompt', 'chat-template', '--scoring', 'cloze'])
          .concat(backend === 'llamacpp' ? ['--kv-cache', 'f32'] : []),
        io.io,
      );
      expect(code, io.error.join('\n')).toBe(0);
      const [folder] = readdirSync(out);
      const results = JSON.parse(readFileSync(join(out, folder as string, 'results.json'), 'utf8'));
      const [sirLlm] = results.policies;
      expect(sirLlm.episodesFinished).toBe(1);
      expect(sirLlm.metrics.questions).toBe(questions);
      // The model card: SirLLM recalls 100 % of the held-out episodes at B = 512 on both backends.
      expect(sirLlm.metrics.recall).toEqual({ hits: 1, count: 1, rate: 1 });
    });
  }
});

describe('sirllm demo --episodes 2 (child process, outside the repository, SIRLLM_DATA unset)', () => {
  for (const backend of ['llamacpp', 'transformers'] as const) {
    it(`${backend}: finds the bundled model and episodes; SirLLM recalls both, StreamingLLM lost the grocery`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'sirllm-user-paths-demo-'));
      const result = await runBuiltCli(['demo', '--episodes', '2', '--backend', backend], { cwd });
      expect(result.code, result.stderr).toBe(0);
      const output = result.stdout;
      expect(output).toContain(`on ${backend === 'llamacpp' ? 'llama.cpp' : 'transformers.js'}`);
      expect(output).toContain('episodes 350–351');
      // The model card: SirLLM recalls 100 % of the held-out episodes at the default 512 cells.
      expect(output).toMatch(/^\| SirLLM \| 100\.0 % \(2\/2\) \|/mu);
      expect(output).toMatch(/^\| StreamingLLM \| [\d.]+ % \([0-2]\/2\) \|/mu);
      // The episode shown, and its grocery read from the data file independently.
      const shown = /What each policy kept of episode-(\d+)/u.exec(output)?.[1];
      expect(['350', '351']).toContain(shown);
      const keys = readFileSync(join(bundledModelFolder(), 'data', 'grocery', 'keys.jsonl'), 'utf8');
      const item = new RegExp(`"id": "key_${shown}".*?\\[(.+?)\\]`, 'u').exec(keys)?.[1];
      expect(output).toMatch(
        new RegExp(`^sirllm: the grocery "${item}" \\([\\d.]+ nats\\) was kept; recall right\\.$`, 'mu'),
      );
      // StreamingLLM keeps 4 sinks + the newest 508 of ~1,300 tokens: the request (token ~15) is gone.
      expect(output).toMatch(
        new RegExp(`^streaming-llm: the grocery "${item}" \\([\\d.]+ nats\\) was evicted`, 'mu'),
      );
    }, 120_000);
  }
});

// CI runs the whole `pnpm bench --quick` (all three benchmarks, ~20 s to 3 min with the chat one) as its
// own step; here, in every runtime's pass, the two that take seconds: the user path is the same command.
describe('sirllm check (child process)', () => {
  it('the bundled GGUF: family llama, exact shifts, its own template, three turns that evict; exit 0', async () => {
    const { code, stdout } = await runBuiltCli([
      'check',
      bundledGguf(),
      '--capacity',
      '40',
      '--max-tokens',
      '4',
      '--threads',
      '1',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^family {6}llama$/mu);
    expect(stdout).toMatch(/^positions {3}RoPE: cached keys move exactly/mu);
    expect(stdout).toMatch(/^chat {8}template node-llama-cpp:JinjaTemplate \(the model's own\)$/mu);
    expect(stdout).toMatch(/^turn 3 {6}40\/40 resident, \d+ evicted/mu);
    expect(stdout).toMatch(/^result {6}works: evicted and compacted without error$/mu);
  });

  it('a Gemma 3 GGUF: refused with the reason and what to do; exit 1', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sirllm-check-'));
    const path = join(folder, 'tiny-gemma3.gguf');
    writeFileSync(path, tinyLlamaToGguf(createTinyLlama({ family: 'gemma3' })));
    const { code, stdout } = await runBuiltCli(['check', path, '--threads', '1']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^result {6}REFUSED: .*sliding-window.*transformers\.js backend/mu);
  });
});

describe('sirllm bench --quick', () => {
  it('runs the policy and engine benchmarks quickly and prints their tables', async () => {
    for (const [name, heading, table] of [
      ['policies', /^## Policy selection time.*— quick$/mu, /^\| ledger tokens \| sirllm \|/mu],
      ['engine', /^## Engine overhead per turn.*— quick$/mu, /^\| policy \| turn \| backend compute \|/mu],
    ] as const) {
      const io = recordingIo();
      expect(await runCommandLine(['bench', name, '--quick'], io.io), io.error.join('\n')).toBe(0);
      const output = io.out.join('\n');
      expect(output).toMatch(heading);
      expect(output).toMatch(table);
    }
  }, 120_000);
});

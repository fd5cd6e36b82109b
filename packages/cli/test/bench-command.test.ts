import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/arguments/usage-error.js';
import { topSelfTimes } from '../src/bench-real/profile-summary.js';
import { runCommandLine } from '../src/command-line.js';
import { parseBenchArguments } from '../src/commands/bench.js';
import { recordingIo } from './recording-io.js';

describe('sirllm bench arguments', () => {
  it('runs all three benchmarks, or the one named, fully or with --quick anywhere on the line', () => {
    expect(parseBenchArguments([])).toEqual({
      benchmarks: ['policies', 'engine', 'chat'],
      quick: false,
      help: false,
    });
    expect(parseBenchArguments(['--quick'])).toEqual({
      benchmarks: ['policies', 'engine', 'chat'],
      quick: true,
      help: false,
    });
    expect(parseBenchArguments(['policies', '--quick'])).toMatchObject({
      benchmarks: ['policies'],
      quick: true,
    });
    expect(parseBenchArguments(['--quick', 'chat'])).toMatchObject({ benchmarks: ['chat'], quick: true });
    expect(parseBenchArguments(['engine'])).toMatchObject({ benchmarks: ['engine'], quick: false });
    expect(parseBenchArguments(['engine', '-h'])).toMatchObject({ help: true });
  });

  it('refuses unknown flags, a value for --quick, unknown and extra benchmarks', () => {
    const cases: [string[], RegExp][] = [
      [['--fast'], /unknown option "--fast" \(options: --quick, --real, --threads/],
      [['policies', '--quick', '--repeats', '3'], /unknown option "--repeats"/],
      [['--quick=yes'], /option "--quick" takes no value/],
      [['speed', '--quick'], /unknown benchmark "speed"/],
      [['policies', 'engine'], /unexpected argument "engine"/],
    ];
    for (const [argumentsList, message] of cases) {
      expect(() => parseBenchArguments(argumentsList), argumentsList.join(' ')).toThrow(UsageError);
      expect(() => parseBenchArguments(argumentsList), argumentsList.join(' ')).toThrow(message);
    }
  });

  it('runs the real-shape benchmark alone with real or --real (as pnpm bench --real passes it), with its defaults', () => {
    for (const line of [['real'], ['--real'], ['real', '--real'], ['--quick', '--real']]) {
      const parsed = parseBenchArguments(line);
      expect(parsed.benchmarks, line.join(' ')).toEqual(['real']);
      expect(parsed.quick).toBe(line.includes('--quick'));
      expect(parsed.real).toMatchObject({
        threads: 2,
        types: ['f16', 'q8_0'],
        kvCacheType: 'f16',
        transformers: true,
        profile: false,
      });
      expect(parsed.real?.shapes.map((shape) => shape.name)).toEqual(['qwen2.5-0.5b', 'llama-3.2-1b']);
    }
    expect(parseBenchArguments([]).benchmarks).not.toContain('real');
    expect(parseBenchArguments([]).real).toBeUndefined();
  });

  it('takes the real benchmark options: threads, one shape, one type, an f32 KV cache, no transformers.js, a profile', () => {
    const parsed = parseBenchArguments([
      '--real',
      '--threads=1',
      '--shape',
      'llama-3.2-1b',
      '--type',
      'q8_0',
      '--kv-cache-type',
      'f32',
      '--no-transformers',
      '--profile',
    ]);
    expect(parsed.real).toMatchObject({
      threads: 1,
      types: ['q8_0'],
      kvCacheType: 'f32',
      transformers: false,
      profile: true,
    });
    expect(parsed.real?.shapes.map((shape) => [shape.name, shape.layers, shape.hiddenSize])).toEqual([
      ['llama-3.2-1b', 16, 2048],
    ]);
  });

  it('refuses real options without real, --real with another benchmark, and bad real values', () => {
    const cases: [string[], RegExp][] = [
      [['--threads', '2'], /option "--threads" belongs to the real-shape benchmark/],
      [['chat', '--profile'], /option "--profile" belongs to the real-shape benchmark/],
      [['policies', '--real'], /--real runs the real-shape benchmark alone, not "policies"/],
      [['real', '--threads', '0'], /option "--threads" must be an integer from 1 to 256, got "0"/],
      [['real', '--threads', 'two'], /option "--threads" must be an integer/],
      [['real', '--shape', 'qwen2.5-7b'], /option "--shape" must be one of qwen2.5-0.5b, llama-3.2-1b/],
      [['real', '--type', 'q4_0'], /option "--type" must be one of f16, q8_0/],
      [['real', '--kv-cache-type', 'q8_0'], /option "--kv-cache-type" must be one of f16, f32/],
      [['real', '--profile=yes'], /option "--profile" takes no value/],
      [['real', 'chat'], /unexpected argument "chat"/],
    ];
    for (const [argumentsList, message] of cases) {
      expect(() => parseBenchArguments(argumentsList), argumentsList.join(' ')).toThrow(UsageError);
      expect(() => parseBenchArguments(argumentsList), argumentsList.join(' ')).toThrow(message);
    }
  });

  it('answers a bad flag with exit code 2 and the way to the options; --help documents --quick', async () => {
    const bad = recordingIo();
    expect(await runCommandLine(['bench', '--quick', '--bogus'], bad.io)).toBe(2);
    expect(bad.error.join('\n')).toMatch(/sirllm bench: unknown option "--bogus"[\s\S]*sirllm bench --help/);
    expect(bad.out).toEqual([]);
    const help = recordingIo();
    expect(await runCommandLine(['bench', 'policies', '--help'], help.io)).toBe(0);
    expect(help.out.join('\n')).toMatch(/Usage: sirllm bench \[policies\|engine\|chat\] \[--quick\]/);
    expect(help.out.join('\n')).toMatch(/--quick {4}a quick run/);
    expect(help.out.join('\n')).toMatch(/sirllm bench real \[--quick\] \[real options\]/);
    expect(help.out.join('\n')).toMatch(/--threads N {14}llama\.cpp and ONNX Runtime threads \(default 2\)/);
    const overview = recordingIo();
    await runCommandLine(['--help'], overview.io);
    expect(overview.out.join('\n')).toContain('bench [--quick]');
  });

  it('marks a quick benchmark as quick and prints the same table and growth ratios', async () => {
    const { io, out } = recordingIo();
    expect(await runCommandLine(['bench', 'policies', '--quick'], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^## Policy selection time .* — quick$/m);
    expect(text).toContain(
      '_Quick run (`--quick`): median of 7 (5 above 32k tokens) calls instead of 21 (9)',
    );
    expect(text).toContain('| ledger tokens | sirllm | streamingLLM | random | interval |');
    for (const size of ['1,000', '8,000', '32,000', '128,000']) expect(text).toContain(`| ${size} | `);
    expect(text).toMatch(/sirllm growth: 1000→8000: ×[\d.]+ time for ×8 tokens; .*32000→128000/);
  });

  it('summarises a CPU profile by self time per function, largest first (hand-worked samples)', () => {
    const frame = (functionName: string, url: string, lineNumber: number) => ({
      functionName,
      url,
      lineNumber,
    });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(program)', '', -1) },
        { id: 2, callFrame: frame('append', 'file:///x/dist/bin.js', 9) },
        { id: 3, callFrame: frame('', 'file:///x/dist/chunk.js', 0) },
      ],
      samples: [2, 1, 2, 3, 2],
      timeDeltas: [1000, 3000, 2000, 500, 3500],
    };
    // append: 1000 + 2000 + 3500 = 6500 µs of 10000; (program) 3000; the anonymous function 500.
    expect(topSelfTimes(profile)).toEqual([
      ['append (bin.js:10)', '6.5 ms', '65.0 %'],
      ['(program)', '3.0 ms', '30.0 %'],
      ['(anonymous) (chunk.js:1)', '0.5 ms', '5.0 %'],
    ]);
    expect(topSelfTimes(profile, 1)).toHaveLength(1);
  });
});

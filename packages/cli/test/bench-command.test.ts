import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/arguments/usage-error.js';
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
      [['--fast'], /unknown option "--fast" \(options: --quick\)/],
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

  it('answers a bad flag with exit code 2 and the way to the options; --help documents --quick', async () => {
    const bad = recordingIo();
    expect(await runCommandLine(['bench', '--quick', '--bogus'], bad.io)).toBe(2);
    expect(bad.error.join('\n')).toMatch(/sirllm bench: unknown option "--bogus"[\s\S]*sirllm bench --help/);
    expect(bad.out).toEqual([]);
    const help = recordingIo();
    expect(await runCommandLine(['bench', 'policies', '--help'], help.io)).toBe(0);
    expect(help.out.join('\n')).toMatch(/Usage: sirllm bench \[policies\|engine\|chat\] \[--quick\]/);
    expect(help.out.join('\n')).toMatch(/--quick {4}a quick run/);
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
});

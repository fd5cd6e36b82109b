import { describe, expect, it } from 'vitest';
import { parseArguments } from '../src/arguments/parse-arguments.js';
import { UsageError } from '../src/arguments/usage-error.js';
import { runCommandLine } from '../src/command-line.js';
import { recordingIo } from './recording-io.js';

describe('sirllm command line', () => {
  it('has --help for every command', async () => {
    for (const command of ['eval', 'chat', 'inspect', 'demo', 'bench']) {
      const { io, out } = recordingIo();
      expect(await runCommandLine([command, '--help'], io)).toBe(0);
      expect(out.join('\n')).toMatch(new RegExp(`Usage: sirllm ${command}`));
    }
    const { io, out } = recordingIo();
    expect(await runCommandLine([], io)).toBe(0);
    expect(out.join('\n')).toContain('eval <task>');
  });

  it('answers bad arguments with a clear message and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['nonsense'], /unknown command "nonsense"/],
      [['bench', 'speed'], /unknown benchmark "speed"/],
      [['eval'], /missing <task>/],
      [['eval', 'trivia'], /unknown task "trivia"/],
      [['eval', 'grocery', '--backend', 'reference'], /missing --model/],
      [
        ['eval', 'grocery', '--backend', 'reference', '--model', 'tiny', '--capacity', 'lots'],
        /"--capacity" must be an integer/,
      ],
      [
        ['eval', 'grocery', '--backend', 'reference', '--model', 'tiny', '--decay', '2'],
        /"--decay" must be a number/,
      ],
      [
        ['eval', 'grocery', '--backend', 'reference', '--model', 'tiny', '--scoring', 'vibes'],
        /letter, cloze/,
      ],
      [['eval', 'grocery', '--backend', 'reference', '--model', 'tiny', '--policy', 'lru'], /"policy"/],
      [['eval', 'grocery', '--backend', 'reference', '--model', 'tiny'], /missing --data/],
      [['eval', 'grocery', '--backend', 'reference', '--model', 'tiny', '--data', '/nonexistent'], /"data"/],
      [['eval', 'grocery', '--bogus'], /unknown option "--bogus"/],
      [['inspect', '--model', 'huge'], /--model tiny/],
      [['inspect', '--capacity'], /needs a value/],
      [['chat', '--backend', 'onnx'], /unknown backend "onnx"/],
    ];
    for (const [argumentsList, message] of cases) {
      const { io, error } = recordingIo();
      expect(await runCommandLine(argumentsList, io), argumentsList.join(' ')).toBe(2);
      expect(error.join('\n')).toMatch(message);
    }
  });

  it('passes adapter refusals through with the option they name (a missing model file, a folder without config)', async () => {
    const { io } = recordingIo();
    await expect(
      runCommandLine(['chat', '--backend', 'llamacpp', '--model', 'missing-model.gguf'], io),
    ).rejects.toThrow(/missing-model\.gguf/);
    await expect(
      runCommandLine(['chat', '--backend', 'transformers', '--model', './missing-model-folder'], io),
    ).rejects.toThrow(/missing-model-folder/);
  });

  it('parses --name value, --name=value and flags', () => {
    const parsed = parseArguments('t', ['a', '--x', '1', '--y=2', '--flag'], {
      x: { value: true },
      y: { value: true },
      flag: {},
    });
    expect(parsed.positionals).toEqual(['a']);
    expect([...parsed.options]).toEqual([
      ['x', '1'],
      ['y', '2'],
      ['flag', true],
    ]);
    expect(() => parseArguments('t', ['--flag=1'], { flag: {} })).toThrow(UsageError);
  });
});

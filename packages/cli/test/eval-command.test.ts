import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommandLine } from '../src/command-line.js';
import { recordingIo } from './recording-io.js';
import { tinyDailyDialogFolder } from './tiny-dailydialog.js';

const dataFolder = () => tinyDailyDialogFolder();

const common = (data: string, out: string) => [
  'eval',
  'dailydialog',
  '--backend',
  'reference',
  '--model',
  'tiny:hiddenSize=16,intermediateSize=16',
  '--data',
  data,
  '--out',
  out,
  '--policy',
  'sirllm,streaming-llm',
  '--capacity',
  '96',
];

describe('sirllm eval', () => {
  it('refuses --kv-cache for a backend other than llamacpp, and an unknown cache type', async () => {
    const data = dataFolder();
    const out = mkdtempSync(join(tmpdir(), 'sirllm-cli-out-'));
    const other = recordingIo();
    expect(await runCommandLine([...common(data, out), '--kv-cache', 'f32'], other.io)).toBe(2);
    expect(other.error.join('\n')).toMatch(/llamacpp only/);
    const unknown = recordingIo();
    expect(await runCommandLine([...common(data, out), '--kv-cache', 'q4'], unknown.io)).toBe(2);
    expect(unknown.error.join('\n')).toMatch(/--kv-cache/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('writes the table, JSON and SVG into a folder named from the config, and resumes it', async () => {
    const data = dataFolder();
    const out = mkdtempSync(join(tmpdir(), 'sirllm-cli-out-'));
    const first = recordingIo();
    expect(await runCommandLine(common(data, out), first.io)).toBe(0);
    const [folder] = readdirSync(out);
    expect(folder).toBe(
      'dailydialog_reference_tiny-hiddenSize-16-intermediateSize-16_sirllm+stream_c96_eta0.5_sinks4_letter_vicuna_nall_s0x3',
    );
    const path = join(out, folder as string);
    expect(readdirSync(path).sort()).toEqual([
      'chart.svg',
      'config.json',
      'results.json',
      'results.md',
      'runs',
    ]);
    expect(first.out.join('\n')).toContain('| model | SirLLM | Stream |');
    expect(
      JSON.parse(readFileSync(join(path, 'results.json'), 'utf8')).policies[0].metrics.accuracy.count,
    ).toBe(3);
    expect(first.progress.join('')).toMatch(/\[#+\] 6\/6 questions/);
    const records = readFileSync(join(path, 'runs', 'sirllm.jsonl'), 'utf8');

    const again = recordingIo();
    expect(await runCommandLine(common(data, out), again.io)).toBe(0);
    expect(again.error.join('\n')).toContain(`Resuming ${path}`);
    expect(readFileSync(join(path, 'runs', 'sirllm.jsonl'), 'utf8')).toBe(records);
    expect(again.out).toEqual(first.out);
  });

  it('stops on Ctrl-C with exit code 130, keeping finished episodes for the next run', async () => {
    const data = dataFolder();
    const out = mkdtempSync(join(tmpdir(), 'sirllm-cli-out-'));
    let interrupt = () => {};
    let writes = 0;
    const stopped = recordingIo({
      onProgress: () => {
        // The first draw is the start; interrupt during the second episode's first question.
        if (++writes === 3) interrupt();
      },
    });
    interrupt = stopped.interrupt;
    expect(await runCommandLine(common(data, out), stopped.io)).toBe(130);
    expect(stopped.error.join('\n')).toMatch(/Run the same command again to resume/);
    const path = join(out, readdirSync(out)[0] as string);
    expect(existsSync(join(path, 'results.md'))).toBe(true);
    const kept = readFileSync(join(path, 'runs', 'sirllm.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(kept).toHaveLength(1);
    const resumed = recordingIo();
    expect(await runCommandLine(common(data, out), resumed.io)).toBe(0);
    expect(
      readFileSync(join(path, 'runs', 'sirllm.jsonl'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(2);
  });
});

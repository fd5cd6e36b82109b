import { describe, expect, it } from 'vitest';
import { runCommandLine } from '../src/command-line.js';
import { backendForModel } from '../src/commands/check.js';
import { recordingIo } from './recording-io.js';

const field = (out: string[], label: string) =>
  out.find((line) => line.startsWith(label.padEnd(12)))?.slice(12);

describe('sirllm check', () => {
  it('reports family, position shift and chat template, and evicts during a three-turn smoke test', async () => {
    const { io, out } = recordingIo();
    const code = await runCommandLine(
      ['check', 'tiny:family=qwen2', '--capacity', '32', '--max-tokens', '6'],
      io,
    );
    expect(code).toBe(0);
    expect(field(out, 'family')).toBe('qwen2');
    expect(field(out, 'positions')).toMatch(/exactly/);
    expect(field(out, 'chat')).toMatch(/^template /);
    const turns = [1, 2, 3].map((turn) => field(out, `turn ${turn}`));
    expect(turns.every((turn) => turn !== undefined)).toBe(true);
    // Every turn leaves the cache full, and the evicted count grows: compaction ran.
    const evicted = turns.map((turn) => Number(/(\d+) evicted/.exec(turn ?? '')?.[1]));
    expect(turns.every((turn) => turn?.startsWith('32/32 resident'))).toBe(true);
    expect(evicted[2]).toBeGreaterThan(evicted[0] as number);
    expect(field(out, 'result')).toMatch(/^works: evicted and compacted/);
  });

  it('says so when the capacity was too large to evict anything', async () => {
    const { io, out } = recordingIo();
    const code = await runCommandLine(['check', 'tiny', '--capacity', '4000', '--max-tokens', '2'], io);
    expect(code).toBe(0);
    expect(field(out, 'result')).toMatch(/nothing was evicted at capacity 4000/);
  });

  it('fails with exit code 1 and the reason when the model cannot be loaded', async () => {
    const { io, out } = recordingIo();
    const code = await runCommandLine(['check', '/nonexistent/model.gguf', '--backend', 'llamacpp'], io);
    expect(code).toBe(1);
    expect(field(out, 'result')).toMatch(/^FAILED to load: .+/);
  });

  it('refuses bad arguments with exit code 2', async () => {
    const missing = recordingIo();
    expect(await runCommandLine(['check'], missing.io)).toBe(2);
    expect(missing.error.join('\n')).toMatch(/which model/);
    const family = recordingIo();
    expect(await runCommandLine(['check', 'tiny:family=falcon'], family.io)).toBe(2);
    expect(family.error.join('\n')).toMatch(/unknown family "falcon".*gemma3/);
  });

  it('picks the backend from the model', () => {
    expect(backendForModel('models/qwen2.5-0.5b-instruct-q4_k_m.GGUF')).toBe('llamacpp');
    expect(backendForModel('onnx-community/Qwen2.5-0.5B-Instruct')).toBe('transformers');
    expect(backendForModel('tiny:family=gemma3')).toBe('reference');
  });
});

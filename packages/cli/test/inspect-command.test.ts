import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemoryView } from '@sirllm/eval';
import { describe, expect, it } from 'vitest';
import { runCommandLine } from '../src/command-line.js';
import { renderTerminal } from '../src/inspect/render-terminal.js';
import { recordingIo } from './recording-io.js';

const view: MemoryView = {
  model: 'hand-made',
  policy: 'sirllm',
  capacity: 4,
  resident: 2,
  evicted: 2,
  tokens: [
    {
      text: 'my',
      position: 0,
      role: 'user',
      resident: true,
      surprisal: Number.POSITIVE_INFINITY,
      score: Number.POSITIVE_INFINITY,
    },
    { text: ' cat', position: 1, role: 'user', resident: false, surprisal: 1 },
    { text: ' Mochi', position: 2, role: 'user', resident: true, surprisal: 9, score: 4.5 },
    { text: ' <ok>', position: 3, role: 'assistant', resident: false, surprisal: 2 },
  ],
};

describe('inspect in a terminal', () => {
  it('the terminal view colours kept tokens and strikes evicted ones; without colour it hides them', () => {
    const coloured = renderTerminal(view);
    expect(coloured).toContain('\x1b[48;5;196m\x1b[38;5;16m Mochi\x1b[0m');
    expect(coloured).toContain('\x1b[2;9;37m cat\x1b[0m');
    expect(renderTerminal(view, { color: false })).toContain('user> my···· Mochi\nassistant> ·····');
  });
});

describe('sirllm inspect', () => {
  it('runs a short conversation on the reference backend and writes the page', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'sirllm-inspect-')), 'memory.html');
    const { io, out } = recordingIo();
    const code = await runCommandLine(
      [
        'inspect',
        '--model',
        'tiny:hiddenSize=16,intermediateSize=16',
        '--capacity',
        '64',
        '--max-tokens',
        '4',
        '--html',
        html,
      ],
      io,
    );
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/policy sirllm · 64\/64 resident · \d+ evicted/);
    const page = readFileSync(html, 'utf8');
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<div class="sirllm-memory">');
    const kept = page.match(/class="token kept"/g)?.length ?? 0;
    const evicted = page.match(/class="token evicted"/g)?.length ?? 0;
    expect(kept - 2).toBe(64); // the legend has two "kept" samples and one "evicted"
    expect(evicted - 1).toBeGreaterThan(0);
  });
});

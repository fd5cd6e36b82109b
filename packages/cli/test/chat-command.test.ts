import { describe, expect, it } from 'vitest';
import { runCommandLine } from '../src/command-line.js';
import { recordingIo } from './recording-io.js';

describe('sirllm chat', () => {
  it('replies and shows resident / capacity, evictions and what the last eviction dropped', async () => {
    const lines = [
      'Remember: the code is QX-7731.',
      'Tell me about spring weather in the mountains.',
      '/quit',
    ];
    const { io, error, text } = recordingIo({ lines });
    const code = await runCommandLine(
      ['chat', '--model', 'tiny:hiddenSize=16,intermediateSize=16', '--capacity', '40', '--max-tokens', '6'],
      io,
    );
    expect(code).toBe(0);
    const statistics = error.filter((line) => line.startsWith('[memory'));
    expect(statistics).toHaveLength(2);
    expect(statistics[0]).toMatch(/^\[memory \d+\/40 resident · \d+ evicted so far/);
    expect(statistics[1]).toMatch(
      /^\[memory 40\/40 resident · \d+ evicted so far · this turn dropped \d+ tokens: ".+"\]$/,
    );
    // The replies stream to stdout, one line per turn; the memory lines go to stderr.
    expect(text.join('').split('\n')).toHaveLength(3);
  });
});

import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLineReader } from '../src/commands/line-reader.js';

describe('createLineReader', () => {
  it('returns every piped line, also those that arrived while the command was busy', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const reader = createLineReader(input, output);
    input.end('first\nsecond\r\nthird\n');
    const lines: (string | undefined)[] = [];
    for (let turn = 0; turn < 4; turn++) {
      lines.push(await reader.read('you> '));
      await sleep(20); // a reply being generated
    }
    expect(lines).toEqual(['first', 'second', 'third', undefined]);
    expect(output.read()).toBeNull(); // no prompts when the input is not a terminal
  });

  it('reads a last line without a newline, and nothing after close', async () => {
    const input = new PassThrough();
    const reader = createLineReader(input, new PassThrough());
    input.write('one\n');
    expect(await reader.read('> ')).toBe('one');
    input.end('two');
    expect(await reader.read('> ')).toBe('two');
    reader.close();
    expect(await reader.read('> ')).toBeUndefined();
  });
});

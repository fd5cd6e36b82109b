import { describe, expect, it } from 'vitest';
import { TextStream } from './text-stream.js';

/** One token per UTF-8 byte: incomplete characters decode to U+FFFD, as real byte-level tokenizers do. */
const bytes = new TextEncoder();
const decoder = (tokens: readonly number[]) => new TextDecoder().decode(Uint8Array.from(tokens));

describe('TextStream', () => {
  it('never releases half a character', () => {
    const stream = new TextStream(decoder, []);
    const pieces = Array.from(bytes.encode('héllo 🙂!'), (byte) => stream.push(byte));
    expect(pieces.join('') + stream.flush()).toBe('héllo 🙂!');
    expect(pieces.some((piece) => piece.includes('\uFFFD'))).toBe(false);
  });

  it('cuts before the earliest stop sequence and never releases any of it', () => {
    const stream = new TextStream(decoder, ['END', 'ÿ']);
    const released: string[] = [];
    for (const byte of bytes.encode('abcENDxyz')) {
      released.push(stream.push(byte));
      if (stream.stopped) break;
    }
    expect(stream.text).toBe('abc');
    expect(released.join('')).toBe('abc');
  });

  it('holds back a possible stop prefix and releases it once it cannot be a stop', () => {
    const stream = new TextStream(decoder, ['<|end|>']);
    const released = Array.from(bytes.encode('a <|en'), (byte) => stream.push(byte)).join('');
    expect(released).toBe('');
    expect(stream.flush()).toBe('a <|en');
  });
});

describe('TextStream at the end of a generation', () => {
  it('flush decodes a trailing incomplete character as decoding all tokens at once would', () => {
    const stream = new TextStream(decoder, []);
    const tokens = [...bytes.encode('ok ')];
    const euro = bytes.encode('€');
    tokens.push(euro[0] as number);
    const pushed = tokens.map((token) => stream.push(token)).join('');
    expect(pushed + stream.flush()).toBe(decoder(tokens));
    expect(stream.text).toBe(decoder(tokens));
  });

  it('never asks to decode an empty list (transformers.js throws on one)', () => {
    const strict = (tokens: readonly number[]) => {
      if (tokens.length === 0) throw new Error('token_ids must be a non-empty array of integers.');
      return decoder(tokens);
    };
    const stream = new TextStream(strict, ['\n']);
    const text = 'tea 🙂\nbread';
    let released = '';
    for (const byte of bytes.encode(text)) {
      released += stream.push(byte);
      if (stream.stopped) break;
    }
    expect(released + stream.flush()).toBe('tea 🙂');
  });
});

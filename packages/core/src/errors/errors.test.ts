import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  BackendError,
  CapacityExceededError,
  DisposedError,
  InvalidOptionError,
  PositionShiftUnsupportedError,
  SessionBusyError,
  SirLLMError,
} from './index.js';

describe('typed errors', () => {
  const samples = [
    new InvalidOptionError({ option: 'sinks', value: 9, expected: 'fewer than capacity' }),
    new CapacityExceededError({ capacity: 8, requested: 9, hint: 'Evict first.' }),
    new PositionShiftUnsupportedError({ scheme: 'mrope', model: 'qwen2-vl' }),
    new DisposedError({ resource: 'memory session' }),
    new SessionBusyError({ operation: 'generate', running: 'ingest' }),
    new AbortedError({ operation: 'generate', partial: { tokens: [1], text: 'a' } }),
    new BackendError('bad shape'),
  ];
  const classes = [
    InvalidOptionError,
    CapacityExceededError,
    PositionShiftUnsupportedError,
    DisposedError,
    SessionBusyError,
    AbortedError,
    BackendError,
  ];

  it('each isInstance recognises its own errors only, and SirLLMError recognises all', () => {
    samples.forEach((error, i) => {
      expect(SirLLMError.isInstance(error)).toBe(true);
      classes.forEach((errorClass, j) => {
        expect(errorClass.isInstance(error)).toBe(i === j);
      });
    });
    expect(SirLLMError.isInstance(new Error('plain'))).toBe(false);
    expect(InvalidOptionError.isInstance(null)).toBe(false);
  });

  it('recognises errors from another copy of the library by their global marker', () => {
    const foreign = Object.assign(new Error('from a duplicate install'), {
      [Symbol.for('sirllm.error')]: true,
      [Symbol.for('sirllm.error.invalid-option')]: true,
    });
    expect(InvalidOptionError.isInstance(foreign)).toBe(true);
    expect(CapacityExceededError.isInstance(foreign)).toBe(false);
  });

  it('messages name what is wrong and what to do', () => {
    expect(samples[0]?.message).toBe('Invalid option "sinks": expected fewer than capacity, got 9.');
    expect(samples[1]?.message).toMatch(/holds 8 tokens but 9 were needed\. Evict first\./);
    expect(samples[2]?.message).toMatch(/"qwen2-vl".*"mrope".*cannot be moved/);
    expect(
      new InvalidOptionError({ option: 'keep', value: new Uint32Array(3), expected: 'x' }).message,
    ).toMatch(/Uint32Array\(3\)/);
  });
});

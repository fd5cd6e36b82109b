import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { optionalBoolean, optionalFunction, optionalText, requireOptionsObject } from './options-object.js';

interface Example {
  modelPath?: string;
  model?: object;
  threads?: number;
}
const known = ['modelPath', 'model', 'threads'] as const;

function caught(run: () => unknown): InvalidOptionError {
  try {
    run();
  } catch (error) {
    if (InvalidOptionError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an InvalidOptionError');
}

describe('requireOptionsObject', () => {
  it('returns a valid object unchanged and an empty one for an omitted optional object', () => {
    const options: Example = { modelPath: 'x.gguf', threads: 1 };
    expect(requireOptionsObject(options, [...known])).toBe(options);
    expect(requireOptionsObject<Example>(undefined, [...known], { optional: true })).toEqual({});
  });

  it('refuses a non-object, naming what it expected', () => {
    for (const value of [undefined, null, 'x.gguf', 3, ['x']]) {
      const error = caught(() => requireOptionsObject(value as never, [...known]));
      expect(error.option).toBe('options');
      expect(error.message).toContain('modelPath');
    }
  });

  it('names an unknown option and the closest known one', () => {
    expect(caught(() => requireOptionsObject({ modelpath: 'x' } as never, [...known])).message).toMatch(
      /modelpath.*did you mean modelPath\?/su,
    );
    expect(caught(() => requireOptionsObject({ path: 'x' } as never, [...known])).message).toMatch(
      /did you mean modelPath\?/u,
    );
    expect(caught(() => requireOptionsObject({ thread: 2 } as never, [...known])).message).toMatch(
      /did you mean threads\?/u,
    );
    const unrelated = caught(() => requireOptionsObject({ zebra: 1 } as never, [...known]));
    expect(unrelated.option).toBe('zebra');
    expect(unrelated.message).not.toContain('did you mean');
  });
});

describe('optional scalar checks', () => {
  it('accept undefined and the right type, refuse the rest', () => {
    expect(optionalBoolean('flag', undefined)).toBeUndefined();
    expect(optionalBoolean('flag', false)).toBe(false);
    expect(caught(() => optionalBoolean('flag', 'yes')).option).toBe('flag');
    const handler = () => 1;
    expect(optionalFunction('onWarning', handler)).toBe(handler);
    expect(caught(() => optionalFunction('onWarning', 'log')).option).toBe('onWarning');
    expect(optionalText('name', 'tiny')).toBe('tiny');
    expect(caught(() => optionalText('name', '')).option).toBe('name');
  });
});

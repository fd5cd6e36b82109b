import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discardStalePhases } from './stale-phases.js';

function buildFolder(tokens: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'sirllm-demo-build-'));
  writeFileSync(join(folder, 'tokens.u16'), tokens);
  writeFileSync(join(folder, 'train-config.json'), '{"seed":1}');
  return folder;
}

const writePhases = (folder: string) => {
  for (const name of ['phase-one.f32', 'phase-one.json', 'phase-two.f32', 'phase-two.json']) {
    writeFileSync(join(folder, name), 'weights');
  }
};

describe('discardStalePhases', () => {
  it('keeps the saved phases while the training inputs are unchanged', () => {
    const folder = buildFolder('abc');
    expect(discardStalePhases(folder)).toEqual([]); // nothing saved yet; records the inputs
    writePhases(folder);
    expect(discardStalePhases(folder)).toEqual([]);
    expect(existsSync(join(folder, 'phase-two.f32'))).toBe(true);
  });

  it('deletes them when the data or the config changed', () => {
    const folder = buildFolder('abc');
    discardStalePhases(folder);
    writePhases(folder);
    writeFileSync(join(folder, 'tokens.u16'), 'abd');
    expect(discardStalePhases(folder)).toEqual([
      'phase-one.f32',
      'phase-one.json',
      'phase-two.f32',
      'phase-two.json',
    ]);
    writePhases(folder);
    writeFileSync(join(folder, 'train-config.json'), '{"seed":2}');
    expect(discardStalePhases(folder)).toHaveLength(4);
    expect(readdirSync(folder).filter((name) => name.startsWith('phase-'))).toEqual([]);
  });

  it('deletes phases saved before inputs were recorded', () => {
    const folder = buildFolder('abc');
    writePhases(folder);
    expect(discardStalePhases(folder)).toHaveLength(4);
  });
});

import { describe, expect, it } from 'vitest';
import { familySupportOf } from './family-support.js';
import { FamilySupportCoverage } from './family-support-coverage.js';

describe('FamilySupportCoverage', () => {
  it("lists the matrix's cells of one backend by weight type and result", () => {
    const coverage = new FamilySupportCoverage('llamacpp');
    expect(coverage.cells(['q4_0'], 'refused').map((cell) => cell.family)).toEqual(['gemma3']);
    expect(coverage.cells(['f32', 'f16'], 'works')).toEqual(
      [...familySupportOf('llamacpp', 'f32'), ...familySupportOf('llamacpp', 'f16')].filter(
        (cell) => cell.family !== 'gemma3',
      ),
    );
  });

  it('names every cell a check skipped, and every cell it checked that the matrix does not list', () => {
    const coverage = new FamilySupportCoverage('llamacpp');
    for (const family of ['llama', 'llama3', 'smollm2', 'mistral', 'qwen2', 'qwen3'] as const) {
      coverage.record('surprisal', family, 'f32');
    }
    coverage.record('surprisal', 'gemma3', 'f32');
    expect(coverage.differences('surprisal', ['f32'], 'works')).toEqual([
      'surprisal: phi3 f32 (works) not checked',
      'surprisal: gemma3 f32 checked but not works in the matrix',
    ]);
    expect(coverage.differences('conformance', ['f32'], 'refused')).toEqual([
      'conformance: gemma3 f32 (refused) not checked',
    ]);
    coverage.record('refusal', 'gemma3', 'f32');
    expect(coverage.differences('refusal', ['f32'], 'refused')).toEqual([]);
  });
});

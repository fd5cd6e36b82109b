import { describe, expect, it } from 'vitest';
import { resolveEvaluationConfig, resultsFolderName } from '../src/run/evaluation-config.js';
import { MemoryResultStore } from '../src/run/result-store.js';
import { policyRunsOf, runEvaluation } from '../src/run/run-evaluation.js';
import { dailyDialogEpisodes } from '../src/tasks/dailydialog.js';
import { handBuiltBackend } from './hand-built-backend.js';
import { syntheticDailyDialog } from './synthetic-data.js';

const data = syntheticDailyDialog(
  Array.from({ length: 12 }, (_, index) => ({
    id: `${Math.floor(index / 3)}_${2 * (index % 3) + 1}`,
    stem: `turn ${index} `,
    options: [' one ', ' two ', ' three ', ' four '],
    answer: 'ABCD'[index % 4] as string,
  })),
);

describe('runEvaluation', () => {
  it('keeps the chosen answer, not the gold one, in memory', async () => {
    const episodes = dailyDialogEpisodes(
      syntheticDailyDialog([
        { id: '0_1', stem: 'first ', options: [' w ', ' x ', ' y ', ' z '], answer: 'C' },
        { id: '0_3', stem: 'second ', options: [' w ', ' x ', ' y ', ' z '], answer: 'C' },
      ]),
    );
    // Question 1: every option ties → A. Question 2: B if the model answered A before, C otherwise.
    const backend = handBuiltBackend((text) =>
      text.endsWith('ASSISTANT:') && text.includes('second')
        ? text.includes('ASSISTANT: A')
          ? { ' B': 5 }
          : { ' C': 5 }
        : {},
    );
    const config = resolveEvaluationConfig({
      task: 'dailydialog',
      backend: 'b',
      model: 'm',
      policies: ['sirllm'],
    });
    const results = await runEvaluation({ config, backend, episodes, store: new MemoryResultStore() });
    expect(results.runs[0]?.episodes[0]?.outcomes.map((outcome) => outcome.chosen)).toEqual([0, 1]);
  });

  it('runs Random once per seed and resumes a stopped run to the same results', async () => {
    const backend = handBuiltBackend((text) =>
      text.endsWith('ASSISTANT:') ? { [` ${'ABCD'[text.length % 4]}`]: 3 } : {},
    );
    const episodes = dailyDialogEpisodes(data);
    const config = resolveEvaluationConfig({
      task: 'dailydialog',
      backend: 'b',
      model: 'm',
      policies: ['random', 'sirllm'],
      capacity: 48,
      randomSeeds: 2,
    });
    expect(policyRunsOf(config).map((run) => run.unit)).toEqual(['random-seed-0', 'random-seed-1', 'sirllm']);
    const uninterrupted = await runEvaluation({ config, backend, episodes, store: new MemoryResultStore() });
    expect(uninterrupted.complete).toBe(true);

    const store = new MemoryResultStore();
    const controller = new AbortController();
    const progress: number[] = [];
    const stopped = await runEvaluation({
      config,
      backend,
      episodes,
      store,
      signal: controller.signal,
      onProgress: ({ completed }) => {
        progress.push(completed);
        if (completed === 7) controller.abort();
      },
    });
    expect(stopped.complete).toBe(false);
    // Two episodes of three questions were finished; the third was dropped.
    expect(store.units.get('random-seed-0')?.map((result) => result.episode)).toEqual([
      'dialogue-0',
      'dialogue-1',
    ]);
    const resumedProgress: number[] = [];
    const resumed = await runEvaluation({
      config,
      backend,
      episodes,
      store,
      onProgress: ({ completed, total }) => resumedProgress.push(completed, total),
    });
    expect(resumedProgress.slice(0, 2)).toEqual([6, 36]);
    expect(resumed.complete).toBe(true);
    expect(resumed.runs).toEqual(uninterrupted.runs);
  });
});

describe('resolveEvaluationConfig', () => {
  it("fills in the paper's settings per task and names the results folder from the config", () => {
    const config = resolveEvaluationConfig({
      task: 'grocery',
      backend: 'reference',
      model: 'tiny:layers=2',
      limit: 3,
    });
    expect(config).toMatchObject({
      capacity: 1024,
      decay: 1,
      sinks: 4,
      scoring: 'letter',
      promptFormat: 'vicuna',
    });
    expect(config.policies).toEqual(['streaming-llm', 'random', 'interval', 'sirllm']);
    expect(resultsFolderName(config)).toBe(
      'grocery_reference_tiny-layers-2_stream+random+interval+sirllm_c1024_eta1_sinks4_letter_vicuna_n3_s0x3',
    );
    expect(resultsFolderName({ ...config, model: '/models/vicuna-7b.Q4_K_M.gguf' })).toContain(
      '_vicuna-7b.Q4_K_M.gguf_',
    );
  });

  it('refuses bad values with the field named', () => {
    expect(() => resolveEvaluationConfig({ task: 'trivia' as 'grocery', backend: 'b', model: 'm' })).toThrow(
      /"task"/,
    );
    expect(() => resolveEvaluationConfig({ task: 'grocery', backend: 'b', model: 'm', decay: 1.5 })).toThrow(
      /"decay"/,
    );
    expect(() =>
      resolveEvaluationConfig({ task: 'grocery', backend: 'b', model: 'm', policies: ['lru'] }),
    ).toThrow(/"policy"/);
    expect(() => resolveEvaluationConfig({ task: 'grocery', backend: 'b', model: 'm', limit: 0 })).toThrow(
      /"limit"/,
    );
  });

  it('keeps a llama.cpp cache type in the config and the folder name, and refuses it elsewhere', () => {
    const input = { task: 'grocery', backend: 'llamacpp', model: 'm.gguf', limit: 3 } as const;
    const plain = resolveEvaluationConfig(input);
    const float32 = resolveEvaluationConfig({ ...input, keyValueCacheType: 'f32' });
    expect(plain.keyValueCacheType).toBeUndefined();
    expect(float32.keyValueCacheType).toBe('f32');
    expect(resultsFolderName(float32)).toBe(`${resultsFolderName(plain)}_kvf32`);
    expect(() => resolveEvaluationConfig({ ...input, keyValueCacheType: 'q8_0' as 'f32' })).toThrow(
      /"keyValueCacheType".*f16 or f32/,
    );
    expect(() =>
      resolveEvaluationConfig({ ...input, backend: 'transformers', keyValueCacheType: 'f32' }),
    ).toThrow(/llamacpp only/);
  });
});

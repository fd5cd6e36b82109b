import { describe, expect, it } from 'vitest';
import { computeMetrics, type EpisodeResult } from '../src/metrics/task-metrics.js';
import { resolveEvaluationConfig } from '../src/run/evaluation-config.js';
import { MemoryResultStore } from '../src/run/result-store.js';
import { runEvaluation } from '../src/run/run-evaluation.js';
import { dailyDialogEpisodes } from '../src/tasks/dailydialog.js';
import { groceryEpisodes } from '../src/tasks/grocery.js';
import { rockPaperScissorsEpisode } from '../src/tasks/rock-paper-scissors.js';
import { handBuiltBackend } from './hand-built-backend.js';
import { syntheticDailyDialog, syntheticGrocery, syntheticRockPaperScissors } from './synthetic-data.js';

const currentQuestion = (text: string) => text.slice(text.lastIndexOf('USER:'));

describe('DailyDialog on synthetic dialogues', () => {
  const data = syntheticDailyDialog([
    { id: '0_1', stem: 'MARK hello ', options: [' a ', ' b! ', ' c ', ' d '], answer: 'B' },
    { id: '0_3', stem: ' fine ', options: [' e ', ' f ', ' g! ', ' h '], answer: 'D' },
    { id: '1_1', stem: ' again ', options: [' i ', ' j ', ' k ', ' l '], answer: 'D' },
  ]);

  it('builds the reference question text and one episode per dialogue', () => {
    const episodes = dailyDialogEpisodes(data);
    expect(episodes.map((episode) => [episode.id, episode.questions.length])).toEqual([
      ['dialogue-0', 2],
      ['dialogue-1', 1],
    ]);
    expect(episodes[0]?.questions[0]?.text).toBe(
      'Choose the best response for the input: MARK hello Choices:  (A)  a  (B)  b!  (C)  c  (D)  d ',
    );
    expect(dailyDialogEpisodes(data, 2).flatMap((episode) => episode.questions)).toHaveLength(2);
  });

  it('answers with the greedy rule and resets memory per dialogue', async () => {
    // The model picks the option with "!" in it; with "MARK" anywhere in memory it picks D instead.
    const backend = handBuiltBackend((text) => {
      if (!text.endsWith('ASSISTANT:')) return {};
      if (text.includes('MARK') && !currentQuestion(text).includes('MARK')) return { ' D': 5 };
      const question = currentQuestion(text);
      const marked = ['A', 'B', 'C', 'D'].find((label) => new RegExp(`\\(${label}\\)[^(]*!`).test(question));
      return marked ? { [` ${marked}`]: 5 } : {};
    });
    const config = resolveEvaluationConfig({
      task: 'dailydialog',
      backend: 'hand-built',
      model: 'rule',
      policies: ['sirllm'],
      capacity: 512,
    });
    const results = await runEvaluation({
      config,
      backend,
      episodes: dailyDialogEpisodes(data),
      store: new MemoryResultStore(),
    });
    const outcomes = results.runs[0]?.episodes.flatMap((episode) => episode.outcomes) ?? [];
    // 0_1: "!" on B → B (gold B ✓). 0_3: MARK still in memory → D (gold D ✓). 1_1: fresh memory, no "!"
    // → all tie → A (gold D ✗).
    expect(outcomes.map((outcome) => outcome.chosen)).toEqual([1, 3, 0]);
    expect(computeMetrics(results.runs[0]?.episodes ?? []).accuracy).toEqual({
      hits: 2,
      count: 3,
      rate: 2 / 3,
    });
  });
});

describe('Grocery Shopping on a synthetic episode', () => {
  const distractorAnswers = 'BABABABABABABABABABA'.split('');
  const data = syntheticGrocery([
    { item: 'chocolate', distractorAnswers, recallOptions: ['tea', 'eggs', 'chocolate', 'milk'] },
  ]);
  // Inside "[…]" the model expects "~" (logit 10), so the grocery's characters are very surprising
  // (≈ 10 nats against ≈ ln V ≈ 4.6 elsewhere). It always answers B to CommonsenseQA, and recalls the
  // grocery when "GROCERY: [item]" is still resident.
  const rule = (text: string): Record<string, number> => {
    if (text.lastIndexOf('[') > text.lastIndexOf(']')) return { '~': 10 };
    if (!text.endsWith('ASSISTANT:')) return {};
    const question = currentQuestion(text);
    if (!question.includes('Which one is the GROCERY')) return { ' B': 5, ' OK': 5 };
    const item = /GROCERY: \[([^\]]+)\]/u.exec(text)?.[1];
    const label = item ? /\((\w)\) ([^(]+)/gu : undefined;
    for (const match of label ? question.matchAll(label) : []) {
      if (match[2]?.trim() === item) return { [` ${match[1]}`]: 5 };
    }
    return {};
  };

  it('builds 22 turns: key ("OK"), 20 distractors, recall', () => {
    const [episode] = groceryEpisodes(data);
    expect(episode?.questions.map((question) => question.kind)).toEqual([
      'grocery-key',
      ...Array(20).fill('commonsense'),
      'grocery-recall',
    ]);
    expect(episode?.questions[0]).toMatchObject({
      text: 'I want you to buy the GROCERY: [chocolate].',
      letterContinuations: ['OK'],
    });
  });

  it('SirLLM (η 1) recalls the grocery; StreamingLLM and SirLLM with η 0.5 forget it', async () => {
    const backend = handBuiltBackend(rule);
    const episodes = groceryEpisodes(data);
    const run = async (policy: string, decay = 1) => {
      const config = resolveEvaluationConfig({
        task: 'grocery',
        backend: 'hand-built',
        model: 'rule',
        policies: [policy],
        capacity: 300,
        decay,
      });
      const results = await runEvaluation({ config, backend, episodes, store: new MemoryResultStore() });
      return computeMetrics(results.runs[0]?.episodes ?? []);
    };
    const remembering = await run('sirllm');
    expect(remembering.commonsense).toEqual({ hits: 10, count: 20, rate: 0.5 });
    expect(remembering.recall).toEqual({ hits: 1, count: 1, rate: 1 });
    expect((await run('streaming-llm')).recall?.rate).toBe(0);
    expect((await run('sirllm', 0.5)).recall?.rate).toBe(0);
    // With the whole episode in memory, Full recalls too; at a budget it cannot fit, it is skipped.
    expect((await run('full')).recall).toBeUndefined();
    const config = resolveEvaluationConfig({
      task: 'grocery',
      backend: 'hand-built',
      model: 'rule',
      policies: ['full'],
      capacity: 8192,
    });
    const fitting = await runEvaluation({ config, backend, episodes, store: new MemoryResultStore() });
    expect(computeMetrics(fitting.runs[0]?.episodes ?? []).recall?.rate).toBe(1);
  });
});

describe('Rock-Paper-Scissors on a synthetic player', () => {
  it('plays one stream with the previous move revealed, scored by likelihood only', async () => {
    // The model plays what beats the user's most frequent revealed move (ties: rock first); with no
    // history every option ties and A (rock) is chosen.
    const backend = handBuiltBackend((text) => {
      if (!text.endsWith('ASSISTANT:')) return {};
      const counts = ['rock', 'paper', 'scissors'].map((move) => text.split(`[${move}]`).length - 1);
      if (counts.every((count) => count === 0)) return {};
      const favourite = counts.indexOf(Math.max(...counts));
      return { [[' B', ' C', ' A'][favourite] as string]: 5 };
    });
    const episode = rockPaperScissorsEpisode('rock', syntheticRockPaperScissors('AABACA'));
    expect(episode.questions[1]?.text).toBe(
      'I chose [rock]. Analyze my preferences to maximize your winning rate and proceed to the next round. Choices: (A) rock (B) paper (C) scissors. You choose:',
    );
    const config = resolveEvaluationConfig({
      task: 'rock-paper-scissors',
      backend: 'hand-built',
      model: 'rule',
      policies: ['sirllm'],
    });
    const results = await runEvaluation({
      config,
      backend,
      episodes: [episode],
      store: new MemoryResultStore(),
    });
    const outcomes = results.runs[0]?.episodes[0]?.outcomes ?? [];
    // Rounds: A vs rock (tie), B vs rock (win), B vs paper (tie), B vs rock (win), B vs scissors (lose), B vs rock (win).
    expect(outcomes.map((outcome) => outcome.chosen)).toEqual([0, 1, 1, 1, 1, 1]);
    const metrics = computeMetrics(results.runs[0]?.episodes ?? []);
    expect(metrics.players?.[0]).toEqual({
      player: 'rock',
      win: { hits: 3, count: 6, rate: 0.5 },
      tie: { hits: 2, count: 6, rate: 2 / 6 },
      lose: { hits: 1, count: 6, rate: 1 / 6 },
    });
    expect(metrics.averageWinRate).toBe(0.5);
  });
});

describe('metrics', () => {
  it('averages win rates over players', () => {
    const round = (chosen: number, gold: number, userMove: number) => ({
      id: 'r',
      kind: 'round' as const,
      chosen,
      gold,
      userMove,
      options: [],
      contextTokens: 1,
      continuationTokens: 1,
      resident: 2,
      decidedBy: 'likelihood' as const,
    });
    const episodes: EpisodeResult[] = [
      { episode: 'player-rock', outcomes: [round(1, 1, 0), round(0, 1, 0)] },
      { episode: 'player-paper', outcomes: [round(2, 2, 1), round(2, 2, 1), round(0, 2, 1), round(1, 2, 1)] },
    ];
    const metrics = computeMetrics(episodes);
    expect(
      metrics.players?.map((player) => [player.player, player.win.rate, player.tie.rate, player.lose.rate]),
    ).toEqual([
      ['rock', 0.5, 0.5, 0],
      ['paper', 0.5, 0.25, 0.25],
    ]);
    expect(metrics.averageWinRate).toBe(0.5);
  });
});

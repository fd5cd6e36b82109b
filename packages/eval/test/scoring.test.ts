import { MemorySession, sirllm } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { askQuestion } from '../src/scoring/ask-question.js';
import { chooseOption, type OptionScore } from '../src/scoring/choose-option.js';
import { encodeQuestion } from '../src/scoring/encode-question.js';
import { isGreedyMatch } from '../src/scoring/greedy-match.js';
import type { TaskQuestion } from '../src/tasks/task-question.js';
import { handBuiltBackend } from './hand-built-backend.js';

const option = (
  firstTokenLogLikelihood: number,
  greedyMatch = false,
  logLikelihood = firstTokenLogLikelihood,
): OptionScore => ({
  firstTokenLogLikelihood,
  logLikelihood,
  greedyMatch,
});

describe('encodeQuestion', () => {
  it('moves the context\'s trailing space into the continuation (" A") and adds no BOS', () => {
    const backend = handBuiltBackend();
    const encoded = encodeQuestion(backend, 'vicuna', 'Hi?', ['A', 'B']);
    expect(backend.detokenize([...encoded.context])).toBe('USER: Hi?\n\nASSISTANT:');
    expect(encoded.continuations).toEqual([[backend.idOf(' A')], [backend.idOf(' B')]]);
    const plain = encodeQuestion(backend, 'plain', 'Say:  ', ['OK']);
    expect(backend.detokenize([...plain.context])).toBe('Say:');
    expect(plain.continuations.map((tokens) => backend.detokenize([...tokens]))).toEqual(['  OK']);
  });

  it('renders through the backend chat template, the closing text belonging to the continuation', () => {
    const backend = handBuiltBackend(undefined, {
      chatTemplate: {
        name: 'brackets',
        render: (messages, { addGenerationPrompt }) =>
          messages.map((message) => `[${message.role}]${message.content}[/]`).join('') +
          (addGenerationPrompt ? '[assistant]' : ''),
      },
    });
    const encoded = encodeQuestion(backend, 'chat-template', 'Q? ', ['A']);
    expect(backend.detokenize([...encoded.context])).toBe('[user]Q?[/][assistant]');
    expect(backend.detokenize([...(encoded.continuations[0] ?? [])])).toBe(' A[/]');
    expect(() => encodeQuestion(handBuiltBackend(), 'chat-template', 'Q', ['A'])).toThrow(/chat template/);
  });
});

describe('choice rules', () => {
  it('greedy-then-likelihood: the first greedy match wins over a higher likelihood', () => {
    expect(chooseOption([option(-1), option(-3, true), option(-2, true)], 'greedy-then-likelihood')).toBe(1);
    expect(chooseOption([option(-3), option(-1), option(-2)], 'greedy-then-likelihood')).toBe(1);
  });

  it('likelihood (RPS) ignores greedy matches; ties go to the earlier option', () => {
    expect(chooseOption([option(-3, true), option(-1), option(-2)], 'likelihood')).toBe(1);
    expect(chooseOption([option(-2), option(-1), option(-1)], 'likelihood')).toBe(1);
  });

  it('cloze ranks by the whole continuation', () => {
    expect(chooseOption([option(-1, false, -9), option(-2, false, -3)], 'likelihood', 'whole')).toBe(1);
  });

  it('greedy match compares decoded text with the spaces removed', () => {
    const backend = handBuiltBackend();
    const detokenize = (tokens: readonly number[]) => backend.detokenize(tokens);
    expect(isGreedyMatch(detokenize, [backend.idOf('A')], [backend.idOf(' A')])).toBe(true);
    expect(isGreedyMatch(detokenize, [backend.idOf('B')], [backend.idOf(' A')])).toBe(false);
    expect(
      isGreedyMatch(
        detokenize,
        [backend.idOf('\n'), backend.idOf('A')],
        [backend.idOf(' '), backend.idOf('A')],
      ),
    ).toBe(false);
  });
});

describe('askQuestion on hand-built logits', () => {
  // After "ASSISTANT:" the logits are A 1, B 3, C 2; every other token (V − 3 of them) has logit 0.
  const rule = (text: string) => (text.endsWith('ASSISTANT:') ? { ' A': 1, ' B': 3, ' C': 2 } : {});
  const question: TaskQuestion = {
    id: '0_1',
    kind: 'dialogue',
    text: 'Pick:  (A) x (B) y (C) z',
    labels: ['A', 'B', 'C'],
    optionTexts: ['x', 'y', 'z'],
    letterContinuations: ['A', 'B', 'C'],
    gold: 2,
  };

  it('scores the first continuation token, picks by the rule, and keeps only the chosen option', async () => {
    const backend = handBuiltBackend(rule);
    const vocabulary = backend.info.vocabularySize;
    const session = await MemorySession.create({ backend, capacity: 256, policy: sirllm() });
    const outcome = await askQuestion(session, question, {
      format: 'vicuna',
      scoring: 'letter',
      rule: 'greedy-then-likelihood',
    });
    const normaliser = Math.log(Math.exp(1) + Math.exp(3) + Math.exp(2) + (vocabulary - 3));
    expect(outcome.options.map((entry) => entry.firstTokenLogLikelihood)).toEqual(
      [1 - normaliser, 3 - normaliser, 2 - normaliser].map((value) => expect.closeTo(value, 5)),
    );
    expect(outcome.options.map((entry) => entry.greedyMatch)).toEqual([false, true, false]);
    expect(outcome.chosen).toBe(1);
    const text = backend.detokenize(session.transcript.tokens());
    expect(text).toBe('USER: Pick:  (A) x (B) y (C) z\n\nASSISTANT: B');
    // The chosen option's token is resident with its own surprisal, recorded as the assistant's.
    const last = session.ledger.length - 1;
    expect(session.ledger.scores[last]).toBeCloseTo(normaliser - 3, 5);
    expect(session.ledger.entry(last).role).toBe('assistant');
    expect(outcome.resident).toBe(session.transcript.length);
  });

  it('RPS rule: the highest first-token likelihood even where another option is a greedy match', async () => {
    // After "ASSISTANT:" the argmax is the bare "C" (logit 3): option " C" is a greedy match once spaces
    // are removed, but " B" (2.5) is likelier than " C" (2).
    const backend = handBuiltBackend((text) =>
      text.endsWith('ASSISTANT:') ? { C: 3, ' B': 2.5, ' C': 2 } : {},
    );
    const ask = async (rule: 'likelihood' | 'greedy-then-likelihood') => {
      const session = await MemorySession.create({ backend, capacity: 256, policy: sirllm() });
      return askQuestion(session, question, { format: 'vicuna', scoring: 'letter', rule });
    };
    expect((await ask('likelihood')).chosen).toBe(1);
    const greedy = await ask('greedy-then-likelihood');
    expect(greedy.options.map((entry) => entry.greedyMatch)).toEqual([false, false, true]);
    expect(greedy.chosen).toBe(2);
  });

  it('cloze scores the option text and sums its log-likelihood', async () => {
    // After "ASSISTANT:" the space before every option text is likely; after " " the letters x/y/z get
    // logits 0/4/1; greedy decoding gives " " then "y": option y is a greedy match.
    const backend = handBuiltBackend((text) =>
      text.endsWith('ASSISTANT:') ? { ' ': 5 } : text.endsWith('ASSISTANT: ') ? { y: 4, z: 1 } : {},
    );
    const session = await MemorySession.create({ backend, capacity: 256, policy: sirllm() });
    const outcome = await askQuestion(session, question, {
      format: 'vicuna',
      scoring: 'cloze',
      rule: 'greedy-then-likelihood',
    });
    expect(outcome.chosen).toBe(1);
    expect(outcome.options.map((entry) => entry.greedyMatch)).toEqual([false, true, false]);
    const vocabulary = backend.info.vocabularySize;
    const space = 5 - Math.log(Math.exp(5) + vocabulary - 1);
    const letters = Math.log(Math.exp(4) + Math.exp(1) + vocabulary - 2);
    expect(outcome.options[2]?.logLikelihood).toBeCloseTo(space + 1 - letters, 5);
    expect(backend.detokenize(session.transcript.tokens()).endsWith('ASSISTANT: y')).toBe(true);
  });
});

describe('decisionOf', () => {
  it('names what decided the choice', async () => {
    const { decisionOf } = await import('../src/scoring/choose-option.js');
    expect(decisionOf([option(-2, true), option(-1)], 'greedy-then-likelihood', 'first-token')).toBe(
      'greedy-match',
    );
    expect(decisionOf([option(-2, true), option(-1)], 'likelihood', 'first-token')).toBe('likelihood');
    expect(decisionOf([option(-1), option(-1), option(-3)], 'likelihood', 'first-token')).toBe('tie');
    expect(decisionOf([option(-1, false, -5), option(-1, false, -4)], 'likelihood', 'whole')).toBe(
      'likelihood',
    );
  });
});

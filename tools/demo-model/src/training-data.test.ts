import { createRandom } from '@sirllm/core';
import { encodeQuestion, groceryEpisodes, rockPaperScissorsEpisode } from '@sirllm/eval';
import { createReferenceBackend } from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';
import {
  drawDistractorCount,
  groceryConversation,
  rockPaperScissorsConversation,
} from './build-conversations.js';
import { buildTokenizer, singleTokenPiecesOf } from './build-tokenizer.js';
import { encodeConversation } from './encode-conversation.js';
import { readGrocerySource } from './grocery-source.js';
import { groceryKeyTurn, multipleChoiceText, recallStem } from './turn-text.js';

/** A keys.jsonl-shaped episode, written here in the dataset's format. */
function episodeLines(episode: number, item: string, others: readonly string[]): string[] {
  const choice = (text: string, index: number) => ({ text, label: 'ABCDE'[index] });
  return [
    {
      id: `key_${episode}`,
      question: { stem: `I want you to buy the GROCERY: [${item}]. `, choices: [choice('OK', 0)] },
      answerKey: 'A',
    },
    {
      answerKey: 'B',
      id: `${episode}`,
      question: {
        question_concept: 'x',
        choices: ['bank', 'library', 'department store', 'mall', 'new york'].map(choice),
        stem: `Where would you find magazines number ${episode}?`,
      },
    },
    {
      id: `answer_${episode}`,
      question: { stem: recallStem, choices: [item, ...others].map(choice) },
      answerKey: 'A',
    },
  ].map((record) => JSON.stringify(record));
}

const sampleKeys = [
  ...episodeLines(0, 'peanut butter', ['tea', 'eggs', 'rice']),
  ...episodeLines(349, 'cheese', ['milk', 'salt', 'honey']),
  ...episodeLines(350, 'saffron', ['tofu', 'oats', 'jelly']),
  ...episodeLines(399, 'paprika', ['beef', 'flour', 'sugar']),
].join('\n');

describe('the demo model training data', () => {
  it('reads only episodes 0–349: nothing of the held-out episodes 350–399', () => {
    const source = readGrocerySource(sampleKeys);
    expect(source.episodes).toBe(2);
    expect(source.groceries).toEqual([
      'cheese',
      'eggs',
      'honey',
      'milk',
      'peanut butter',
      'rice',
      'salt',
      'tea',
    ]);
    expect(source.questions.map((question) => question.stem)).toEqual([
      'Where would you find magazines number 0?',
      'Where would you find magazines number 349?',
    ]);
    expect(source.questions[0]?.gold).toBe(1);
  });

  it('renders turns exactly as the evaluation harness renders the same records', () => {
    const [harness] = groceryEpisodes(sampleKeys, 1);
    const [key, commonsense, recall] = harness?.questions ?? [];
    expect(groceryKeyTurn('peanut butter').user).toBe(key?.text);
    expect(
      multipleChoiceText('Where would you find magazines number 0?', [
        'bank',
        'library',
        'department store',
        'mall',
        'new york',
      ]),
    ).toBe(commonsense?.text);
    expect(multipleChoiceText(recallStem, ['peanut butter', 'tea', 'eggs', 'rice'])).toBe(recall?.text);
  });

  it('encodes a turn token for token as the harness feeds it (chat template: context, then the answer)', () => {
    const tokenizer = buildTokenizer({
      corpus: 'I want you to buy the GROCERY. Which one is it? Choices: the bank, the library.',
      mergeCount: 40,
      singleTokenPieces: singleTokenPiecesOf(['peanut butter']),
    });
    const backend = createReferenceBackend({
      tokenizer,
      model: { vocabularySize: tokenizer.vocabularySize },
    });
    const recall = multipleChoiceText(recallStem, ['tea', 'peanut butter', 'eggs', 'rice']);
    const encoded = encodeConversation(
      tokenizer,
      { kind: 'grocery', turns: [{ user: recall, assistant: 'peanut butter', answerWeight: 8 }] },
      1000,
    );
    const harness = encodeQuestion(backend, 'chat-template', recall, ['peanut butter']);
    expect(encoded.tokens).toEqual([...harness.context, ...(harness.continuations[0] ?? [])]);
    const answerLength = harness.continuations[0]?.length ?? 0;
    expect(encoded.weights.slice(-answerLength)).toEqual(new Array(answerLength).fill(8));
    expect(encoded.weights.slice(0, -answerLength).every((weight) => weight === 1)).toBe(true);
  });

  it('renders Rock-Paper-Scissors rounds token for token as the harness feeds the same rounds', () => {
    const choices = ['rock', 'paper', 'scissors'].map((text, index) => ({ text, label: 'ABC'[index] }));
    const records = ['A', 'B', 'C', 'A'].map((move, index) =>
      JSON.stringify({ id: index, question: { stem: 'x', choices }, answerKey: 'B', user_choice: move }),
    );
    const harness = rockPaperScissorsEpisode('rock', records.join('\n'));
    const tokenizer = buildTokenizer({
      corpus: harness.questions.map((question) => question.text).join(' '),
      mergeCount: 60,
      singleTokenPieces: [],
    });
    const backend = createReferenceBackend({
      tokenizer,
      model: { vocabularySize: tokenizer.vocabularySize },
    });
    const game = rockPaperScissorsConversation(createRandom(5), 12);
    const seen = new Set<string>();
    for (const turn of game.turns) {
      // Every round the tool writes is one the harness asks (the opening one, or after rock, paper, scissors).
      const question = harness.questions.find((candidate) => candidate.text.trimEnd() === turn.user);
      expect(question, turn.user).toBeDefined();
      seen.add(question?.text ?? '');
      const answer = turn.assistant.trimStart();
      const fed = encodeQuestion(backend, 'chat-template', question?.text ?? '', [answer]);
      const encoded = encodeConversation(tokenizer, { kind: 'rock-paper-scissors', turns: [turn] }, 1000);
      expect(encoded.tokens).toEqual([...fed.context, ...(fed.continuations[0] ?? [])]);
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
  });

  it('makes every item word one token, the same in the request and in the answer', () => {
    const tokenizer = buildTokenizer({
      corpus: 'the the the cheese chocolate chips',
      mergeCount: 10,
      singleTokenPieces: singleTokenPiecesOf(['peanut butter', 'chocolate']),
    });
    for (const piece of ['peanut', ' peanut', 'butter', ' butter', 'chocolate', ' chocolate']) {
      expect(tokenizer.encode(piece)).toHaveLength(1);
    }
    const request = tokenizer.encode('I want you to buy the GROCERY: [chocolate].');
    const answer = tokenizer.encode('<|assistant|>chocolate<|end|>', { special: true });
    expect(request).toContain(answer[1]);
    // Appended merges rank last: text the learned merges split is split the same way.
    const plain = buildTokenizer({
      corpus: 'the the the cheese chocolate chips',
      mergeCount: 10,
      singleTokenPieces: [],
    });
    expect(tokenizer.encode(' the cheese')).toEqual(plain.encode(' the cheese'));
  });

  it('draws 0–20 distractor turns, most of them short, and always ends with the recall question', () => {
    const random = createRandom(7);
    const counts = Array.from({ length: 2000 }, () => drawDistractorCount(random));
    expect(Math.min(...counts)).toBe(0);
    expect(Math.max(...counts)).toBe(20);
    expect(counts.filter((count) => count <= 3).length / counts.length).toBeGreaterThan(0.45);
    const source = readGrocerySource(sampleKeys);
    const conversation = groceryConversation(
      createRandom(3),
      ['cheese', 'tea', 'milk', 'salt', 'rice'],
      source.questions,
    );
    const first = conversation.turns[0];
    const last = conversation.turns.at(-1);
    const item = /\[(.+)\]/u.exec(first?.user ?? '')?.[1];
    expect(last?.user.startsWith(recallStem)).toBe(true);
    expect(last?.answerWeight).toBe(8);
    if (last?.assistant.length === 1) {
      // A letter answer names the option holding the item.
      expect(last.user).toContain(`(${last.assistant}) ${item}`);
    } else {
      expect(last?.assistant).toBe(item);
    }
  });
});

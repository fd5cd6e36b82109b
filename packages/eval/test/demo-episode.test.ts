import { type ChatTemplate, InvalidOptionError } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { demoPolicies } from '../src/demo/demo-policies.js';
import {
  firstHeldOutGroceryEpisode,
  heldOutGroceryEpisodeCount,
  heldOutGroceryEpisodes,
} from '../src/demo/held-out-episodes.js';
import { runDemoEpisode } from '../src/demo/run-demo-episode.js';
import { runEpisode } from '../src/run/run-episode.js';
import { groceryEpisodes } from '../src/tasks/grocery.js';
import { taskDefaults } from '../src/tasks/task-name.js';
import { handBuiltBackend } from './hand-built-backend.js';
import { syntheticGrocery } from './synthetic-data.js';

/** `keys.jsonl` lines of Grocery episode `number`: the request and the recall question. */
const episodeLines = (number: number) => [
  JSON.stringify({
    id: `key_${number}`,
    question: {
      stem: `I want you to buy the GROCERY: [tea ${number}]. `,
      choices: [{ text: 'OK', label: 'A' }],
    },
    answerKey: 'A',
  }),
  JSON.stringify({
    id: `answer_${number}`,
    question: {
      stem: 'Which one is the GROCERY that I want you to buy earlier?',
      choices: ['tea', 'eggs'].map((text, index) => ({ text, label: 'AB'[index] })),
    },
    answerKey: 'A',
  }),
];

describe('the held-out Grocery episodes', () => {
  it('are 350–399, the ones the bundled model never trained on', () => {
    expect([firstHeldOutGroceryEpisode, heldOutGroceryEpisodeCount]).toEqual([350, 50]);
  });

  it('are picked by number from keys.jsonl text, in order, stopping before the first missing one', () => {
    const text = [351, 349, 350, 353, 354].flatMap(episodeLines).join('\n');
    const ids = (count?: number) => heldOutGroceryEpisodes(text, count).map((episode) => episode.id);
    expect(ids(1)).toEqual(['episode-350']);
    expect(ids(2)).toEqual(['episode-350', 'episode-351']);
    expect(ids(5)).toEqual(['episode-350', 'episode-351']); // 352 is missing
    expect(ids()).toEqual(['episode-350', 'episode-351']);
    expect(heldOutGroceryEpisodes(text, 1)[0]?.questions[0]?.text).toBe(
      'I want you to buy the GROCERY: [tea 350].',
    );
    expect(heldOutGroceryEpisodes(episodeLines(7).join('\n'), 3)).toEqual([]);
    expect(() => heldOutGroceryEpisodes('{"id": "key_350"', 1)).toThrow(InvalidOptionError);
  });
});

describe('the demo policies', () => {
  it('are SirLLM with η 1 and StreamingLLM, both with 4 sinks, fresh each call', () => {
    const [sirLlm, streaming] = demoPolicies();
    expect(sirLlm.label).toBe('SirLLM');
    expect(sirLlm.policy).toMatchObject({ name: 'sirllm', sinks: 4, decay: 1, recent: 0 });
    expect(streaming.label).toBe('StreamingLLM');
    expect(streaming.policy).toMatchObject({ name: 'streaming-llm', sinks: 4 });
    expect(demoPolicies()[0].policy).not.toBe(sirLlm.policy);
  });
});

describe('runDemoEpisode', () => {
  // A chat template in the Vicuna layout, so the hand-built rule can find the turns.
  const chatTemplate: ChatTemplate = {
    name: 'vicuna-like',
    render: (messages, { addGenerationPrompt }) =>
      messages
        .map((message) => `${message.role === 'user' ? 'USER' : 'ASSISTANT'}: ${message.content}\n`)
        .join('') + (addGenerationPrompt ? 'ASSISTANT:' : ''),
  };
  // Inside "[…]" the model expects "~", so the grocery's characters are very surprising. As a reply it
  // writes, character by character, "south" to every CommonsenseQA question (option B), and the grocery
  // to the recall question while "[grocery]" is still resident; otherwise every character is equally
  // likely and the shortest option, "tea", wins.
  const rule = (text: string): Record<string, number> => {
    if (text.lastIndexOf('[') > text.lastIndexOf(']')) return { '~': 10 };
    const opener = text.lastIndexOf('ASSISTANT:');
    const asked = text.lastIndexOf('USER:');
    if (opener < asked) return {};
    const question = text.slice(asked, opener);
    const item = /\[([^\]]+)\]/u.exec(text)?.[1];
    const wanted = question.includes('GROCERY that') ? item : question.includes('wind') ? 'south' : undefined;
    if (wanted === undefined) return {};
    const reply = text.slice(opener + 'ASSISTANT:'.length).trimStart();
    const desired = `${wanted}\n`;
    return reply.length < desired.length && desired.startsWith(reply)
      ? { [desired[reply.length] as string]: 10 }
      : {};
  };
  const backend = handBuiltBackend(rule, { chatTemplate });
  const [episode] = groceryEpisodes(
    syntheticGrocery([
      {
        item: 'chocolate',
        distractorAnswers: 'BABABABABABABABABABA'.split(''),
        recallOptions: ['tea', 'eggs', 'chocolate', 'milk'],
      },
    ]),
  );
  if (episode === undefined) throw new Error('no episode');
  const capacity = 300;

  it('SirLLM keeps the grocery and recalls it; StreamingLLM evicts it and does not', async () => {
    const [sirLlm, streaming] = demoPolicies();
    const kept = await runDemoEpisode(episode, { backend, policy: sirLlm.policy, capacity });
    const lost = await runDemoEpisode(episode, { backend, policy: streaming.policy, capacity });
    for (const result of [kept, lost]) {
      expect(result.episode).toBe('episode-0');
      expect(result.commonsense).toBe(20);
      expect(result.commonsenseCorrect).toBe(10);
      expect(result.view.capacity).toBe(capacity);
      expect(result.view.evicted).toBeGreaterThan(1000);
      expect(result.itemPositions.map((position) => result.view.tokens[position]?.text).join('')).toBe(
        'chocolate',
      );
    }
    expect(kept.view.policy).toBe('sirllm');
    expect(kept.recalled).toBe(true);
    expect(kept.itemPositions.every((position) => kept.view.tokens[position]?.resident)).toBe(true);
    expect(lost.view.policy).toBe('streaming-llm');
    expect(lost.recalled).toBe(false);
    expect(lost.itemPositions.some((position) => lost.view.tokens[position]?.resident)).toBe(false);
  });

  it('answers as the evaluation harness does with the same settings', async () => {
    for (const { policy } of demoPolicies()) {
      const demo = await runDemoEpisode(episode, { backend, policy, capacity });
      const harness = await runEpisode(episode, {
        backend,
        policy,
        capacity,
        format: 'chat-template',
        scoring: 'cloze',
        rule: taskDefaults.grocery.rule,
      });
      const recall = harness.outcomes.at(-1);
      expect(demo.recalled).toBe(recall?.chosen === recall?.gold);
      expect(demo.answers).toEqual(harness.outcomes.map((outcome) => outcome.chosen));
      expect(demo.commonsenseCorrect).toBe(
        harness.outcomes.filter(
          (outcome) => outcome.kind === 'commonsense' && outcome.chosen === outcome.gold,
        ).length,
      );
      expect(demo.view.resident).toBe(recall?.resident);
    }
  });
});

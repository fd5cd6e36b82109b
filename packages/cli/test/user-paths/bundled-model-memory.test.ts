import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KVBackend, MemorySession, type RetentionPolicy, sirllm, streamingLLM } from '@sirllm/core';
import {
  askQuestion,
  groceryEpisodes,
  type QuestionOutcome,
  type TaskEpisode,
  taskDefaults,
} from '@sirllm/eval';
import { describe, expect, it } from 'vitest';
import { findUpwards } from '../../src/demo/demo-assets.js';
import { bundledModelFolder, openForSuite, userPathBackends } from './user-path-backends.js';

// User path 5: the point of the project on the bundled model. A held-out Grocery episode (~1,300
// tokens) through a 512-cell cache, run the way the evaluation harness and `sirllm demo` run it: SirLLM
// keeps the surprising grocery and recalls it, StreamingLLM (sinks + newest) has dropped it and does not.

/**
 * Held-out episode 356 ("spinach", one token of the model's vocabulary). Its recall is not a close call
 * for either policy: SirLLM's greedy reply is the gold option (log-likelihood −0.5 against −6.9 for the
 * best other); StreamingLLM prefers another option by 3.8 nats (probed on both backends).
 */
const episodeNumber = 356;
const capacity = 512;
const sinks = 4;

function heldOutEpisode(): TaskEpisode {
  const bundled = join(bundledModelFolder(), 'data', 'grocery', 'keys.jsonl');
  const file = existsSync(bundled)
    ? bundled
    : findUpwards(join('shared', 'datasets', 'sirllm', 'grocery', 'keys.jsonl'));
  if (file === undefined) {
    throw new Error(
      'the held-out Grocery episodes are missing: models/sirllm-grocery-demo/data/grocery/keys.jsonl (or ../shared/datasets/sirllm/grocery/keys.jsonl)',
    );
  }
  const episode = groceryEpisodes(readFileSync(file, 'utf8')).find(
    (each) => each.id === `episode-${episodeNumber}`,
  );
  if (episode === undefined) throw new Error(`${file} has no episode ${episodeNumber}`);
  return episode;
}

interface PlayedEpisode {
  readonly recall: QuestionOutcome;
  /** Stream positions of the grocery's tokens in the request. */
  readonly itemPositions: readonly number[];
  /** Stream positions still in the cache at the end. */
  readonly resident: ReadonlySet<number>;
  readonly transcriptLength: number;
  readonly evicted: number;
}

/** Plays the episode as the harness does (chat template, options scored as text, the chosen one kept). */
async function play(
  backend: KVBackend,
  policy: RetentionPolicy,
  episode: TaskEpisode,
): Promise<PlayedEpisode> {
  const session = await MemorySession.create({ backend, capacity, policy });
  try {
    let itemPositions: number[] = [];
    let recall: QuestionOutcome | undefined;
    for (const question of episode.questions) {
      const start = session.transcript.length;
      const outcome = await askQuestion(session, question, {
        format: 'chat-template',
        scoring: 'cloze',
        rule: taskDefaults.grocery.rule,
      });
      if (question.kind === 'grocery-key') {
        const item = /\[(.+)\]/u.exec(question.text)?.[1] ?? '';
        const itemTokens = backend.tokenize(item);
        const tokens = session.transcript.tokens().slice(start);
        const at = tokens.findIndex((_, index) =>
          itemTokens.every((token, offset) => tokens[index + offset] === token),
        );
        expect(at, `"${item}" in the request`).toBeGreaterThan(0);
        itemPositions = itemTokens.map((_, offset) => start + at + offset);
      }
      if (question.kind === 'grocery-recall') recall = outcome;
    }
    if (recall === undefined) throw new Error(`episode ${episodeNumber} has no recall question`);
    const { ledger } = session;
    return {
      recall,
      itemPositions,
      resident: new Set(
        Array.from({ length: ledger.length }, (_, index) => ledger.streamPositions[index] as number),
      ),
      transcriptLength: session.transcript.length,
      evicted: session.statistics.evicted,
    };
  } finally {
    await session.dispose();
  }
}

for (const factory of userPathBackends({ model: 'bundled' })) {
  describe(`the bundled model on ${factory.name}: held-out Grocery episode ${episodeNumber} at capacity ${capacity}`, () => {
    const use = openForSuite(factory);
    const episode = heldOutEpisode();

    it('SirLLM keeps the grocery and recalls it; StreamingLLM has evicted it and answers something else', async () => {
      const { backend } = use();
      const kept = await play(backend, sirllm({ decay: 1, sinks }), episode);
      const lost = await play(backend, streamingLLM({ sinks }), episode);
      const gold = kept.recall.gold;
      expect(episode.questions.at(-1)?.optionTexts[gold]).toBe('spinach');

      for (const played of [kept, lost]) {
        // The episode is ~2.5 caches long: both policies evicted, and the cache is (nearly) full — the
        // last turn made room for its longest option and fed the chosen one.
        expect(played.transcriptLength).toBeGreaterThan(2 * capacity);
        expect(played.resident.size).toBeLessThanOrEqual(capacity);
        expect(played.resident.size).toBeGreaterThan(capacity - 8);
        expect(played.evicted).toBe(played.transcriptLength - played.resident.size);
        expect(played.itemPositions).toHaveLength(1);
      }
      const [item] = kept.itemPositions as [number];
      // Far older than the newest capacity − sinks tokens: only a policy that values it keeps it.
      expect(item).toBeLessThan(kept.transcriptLength - capacity);

      expect(kept.resident.has(item)).toBe(true);
      expect(kept.recall.chosen).toBe(gold);

      // StreamingLLM keeps exactly the sinks and the newest tokens (hand-computed), so not the item.
      const newestCount = lost.resident.size - sinks;
      const newest = lost.transcriptLength - newestCount;
      const expectedResident = [0, 1, 2, 3, ...Array.from({ length: newestCount }, (_, i) => newest + i)];
      expect([...lost.resident].sort((a, b) => a - b)).toEqual(expectedResident);
      expect(lost.resident.has(item)).toBe(false);
      expect(lost.recall.chosen).not.toBe(gold);
    });
  });
}

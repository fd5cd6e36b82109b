import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom } from '@sirllm/core';
import type { ByteLevelTokenizer } from '@sirllm/testkit';
import {
  type Conversation,
  defaultGroceryMix,
  dialogueConversation,
  groceryConversation,
  parseDialogues,
  rockPaperScissorsConversation,
} from './build-conversations.js';
import { buildTokenizer, singleTokenPiecesOf } from './build-tokenizer.js';

import type { DemoModelConfig } from './demo-model-config.js';
import { encodeConversation } from './encode-conversation.js';
import { foodWords } from './food-words.js';
import { readGrocerySource } from './grocery-source.js';

/**
 * The short copy conversations: the request, then at once the recall question (half of them without
 * options). One recall per ~40 tokens, so the copy circuit forms within ~300 steps; in the full mix (one
 * recall per ~360 tokens) it had not formed after 1,000 steps, nor with 0–3 distractors after 300.
 */
const copyConversationMix = { ...defaultGroceryMix, openRecallShare: 0.5, drawDistractors: () => 0 };

/**
 * Phase 3's recall conversations: 1–20 distractors, so recall must find the item, not an offset; the
 * item drawn from all 478, so that a grocery stays as surprising as the main conversations make it.
 */
const recallMix = {
  ...defaultGroceryMix,
  drawDistractors: (random: { nextInteger(bound: number): number }) => 1 + random.nextInteger(20),
};

/** What the data phase wrote and measured. */
export interface TrainingDataSummary {
  readonly conversations: number;
  /** The first this many sequences are the short copy conversations (request, then recall at once). */
  readonly copySequences: number;
  /** The last this many sequences are short copy conversations over the dataset's 53 groceries only. */
  readonly groceryCopySequences: number;
  /** Then this many Grocery conversations over all items with 1–20 distractors (phase 3). */
  readonly recallSequences: number;
  readonly tokens: number;
  readonly vocabularySize: number;
  readonly groceries: number;
  /** Items a shopping request draws from: the dataset's groceries and foodWords. */
  readonly items: number;
  readonly trainingEpisodes: number;
  readonly questions: number;
}

/**
 * Builds the training conversations from `dataPath` (the SirLLM data folder: Grocery episodes 0–349 and
 * DailyDialog's validation dialogues only), learns the tokenizer, and writes into `outputPath`:
 * `tokens.u16`, `weights.u8`, `offsets.u32` (sequence starts, plus the end), `tokenizer-merges.json`
 * (the tokenizer's merges as id pairs), `word-form-pairs.json` (see {@link wordFormPairs}) and
 * `summary.json`.
 * Returns the tokenizer and the summary.
 */
export function buildTrainingData(
  config: DemoModelConfig,
  dataPath: string,
  outputPath: string,
): { tokenizer: ByteLevelTokenizer; summary: TrainingDataSummary } {
  const source = readGrocerySource(readFileSync(join(dataPath, 'grocery', 'keys.jsonl'), 'utf8'));
  const dialogues = parseDialogues(
    readFileSync(join(dataPath, 'dailydialog', 'dialogues_validation.txt'), 'utf8'),
  );
  const random = createRandom(config.seed);
  const items = [...new Set([...source.groceries, ...foodWords])].sort();
  const conversations: Conversation[] = [];
  for (let index = 0; index < config.data.copyConversations; index++) {
    conversations.push(groceryConversation(random, items, source.questions, copyConversationMix));
  }
  for (let index = 0; index < config.data.groceryConversations; index++) {
    conversations.push(groceryConversation(random, items, source.questions));
  }
  for (let index = 0; index < config.data.rockPaperScissorsGames; index++) {
    conversations.push(rockPaperScissorsConversation(random, config.data.rockPaperScissorsRounds));
  }
  for (const utterances of dialogues) conversations.push(dialogueConversation(utterances));
  // Last, so that everything before is drawn exactly as without them.
  for (let index = 0; index < config.data.groceryCopyConversations; index++) {
    conversations.push(groceryConversation(random, source.groceries, source.questions, copyConversationMix));
  }
  for (let index = 0; index < config.data.recallConversations; index++) {
    conversations.push(groceryConversation(random, items, source.questions, recallMix));
  }

  const corpus = conversations
    .slice(config.data.copyConversations)
    .slice(0, config.data.tokenizerCorpusConversations)
    .concat(conversations.filter((conversation) => conversation.kind !== 'grocery'))
    .flatMap((conversation) => conversation.turns.flatMap((turn) => [turn.user, turn.assistant]))
    .join('\n');
  const tokenizer = buildTokenizer({
    corpus,
    mergeCount: config.tokenizer.learnedMerges,
    singleTokenPieces: singleTokenPiecesOf(items),
  });

  const tokens: number[] = [];
  const weights: number[] = [];
  const offsets: number[] = [];
  for (const conversation of conversations) {
    const encoded = encodeConversation(tokenizer, conversation, config.data.maximumTokens);
    if (encoded.tokens.length < 2) continue;
    offsets.push(tokens.length);
    for (const token of encoded.tokens) tokens.push(token);
    for (const weight of encoded.weights) weights.push(weight);
  }
  offsets.push(tokens.length);
  mkdirSync(outputPath, { recursive: true });
  writeFileSync(join(outputPath, 'tokens.u16'), Uint16Array.from(tokens));
  writeFileSync(join(outputPath, 'weights.u8'), Uint8Array.from(weights));
  writeFileSync(join(outputPath, 'offsets.u32'), Uint32Array.from(offsets));
  writeFileSync(join(outputPath, 'tokenizer-merges.json'), JSON.stringify(tokenizer.merges));
  writeFileSync(join(outputPath, 'word-form-pairs.json'), JSON.stringify(wordFormPairs(tokenizer, items)));
  const summary: TrainingDataSummary = {
    conversations: offsets.length - 1,
    copySequences: config.data.copyConversations,
    groceryCopySequences: config.data.groceryCopyConversations,
    recallSequences: config.data.recallConversations,
    tokens: tokens.length,
    vocabularySize: tokenizer.vocabularySize,
    groceries: source.groceries.length,
    items: items.length,
    trainingEpisodes: source.episodes,
    questions: source.questions.length,
  };
  writeFileSync(join(outputPath, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return { tokenizer, summary };
}

/**
 * `[spaced, bare]` token id pairs of every item word (` cheese`, `cheese`). The trainer shares their
 * embedding rows (spaced = bare + one learned vector): a request writes the bare form (`[cheese]`), the
 * options of the recall question the spaced one (`(C) cheese`), and with shared rows the model sees at
 * once that an option repeats the request, as it would for identical tokens.
 */
export function wordFormPairs(tokenizer: ByteLevelTokenizer, items: readonly string[]): [number, number][] {
  const pairs = new Map<number, number>();
  for (const word of new Set(items.flatMap((item) => item.split(' ')))) {
    const [bare, ...restBare] = tokenizer.encode(word);
    const [spaced, ...restSpaced] = tokenizer.encode(` ${word}`);
    if (bare === undefined || spaced === undefined || restBare.length > 0 || restSpaced.length > 0) {
      throw new Error(`item word "${word}" is not one token in both forms`);
    }
    pairs.set(spaced, bare);
  }
  return [...pairs];
}

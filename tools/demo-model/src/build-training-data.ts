import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom } from '@sirllm/core';
import type { ByteLevelTokenizer } from '@sirllm/testkit';
import {
  type Conversation,
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

/** What the data phase wrote and measured. */
export interface TrainingDataSummary {
  readonly conversations: number;
  /** The first this many sequences are the curriculum (the dataset's groceries only). */
  readonly curriculumSequences: number;
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
  const items = [...new Set([...source.groceries, ...foodWords])].sort();
  const random = createRandom(config.seed);
  const conversations: Conversation[] = [];
  for (let index = 0; index < config.data.curriculumConversations; index++) {
    conversations.push(groceryConversation(random, source.groceries, source.questions));
  }
  for (let index = 0; index < config.data.groceryConversations; index++) {
    conversations.push(groceryConversation(random, items, source.questions));
  }
  for (let index = 0; index < config.data.rockPaperScissorsGames; index++) {
    conversations.push(rockPaperScissorsConversation(random, config.data.rockPaperScissorsRounds));
  }
  for (const utterances of dialogues) conversations.push(dialogueConversation(utterances));

  const corpus = conversations
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
    curriculumSequences: config.data.curriculumConversations,
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

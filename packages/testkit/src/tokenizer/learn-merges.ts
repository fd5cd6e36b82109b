import { preTokenize } from './pre-tokenize.js';

/** A merge rule: the pair of token ids `[left, right]` that becomes one new token. */
export type MergePair = readonly [left: number, right: number];

/**
 * Learns byte-level BPE merges from `corpus`, greedily: repeatedly merge the most frequent adjacent
 * pair (ties go to the smaller left id, then the smaller right id) until `mergeCount` merges are made or
 * no pair occurs twice. Merge `i` creates token `256 + i`. Deterministic.
 */
export function learnMerges(corpus: string, mergeCount: number): MergePair[] {
  const encoder = new TextEncoder();
  const wordCounts = new Map<string, number>();
  for (const piece of preTokenize(corpus)) wordCounts.set(piece, (wordCounts.get(piece) ?? 0) + 1);
  const words = [...wordCounts].map(([piece, count]) => ({ ids: [...encoder.encode(piece)], count }));

  const merges: MergePair[] = [];
  while (merges.length < mergeCount) {
    const best = mostFrequentPair(words);
    if (best === undefined) break;
    const merged = 256 + merges.length;
    merges.push(best);
    for (const word of words) word.ids = mergePairIn(word.ids, best, merged);
  }
  return merges;
}

function mostFrequentPair(words: readonly { ids: number[]; count: number }[]): MergePair | undefined {
  const counts = new Map<number, number>();
  for (const { ids, count } of words) {
    for (let i = 0; i + 1 < ids.length; i++) {
      const key = (ids[i] as number) * 65536 + (ids[i + 1] as number);
      counts.set(key, (counts.get(key) ?? 0) + count);
    }
  }
  let bestKey = -1;
  let bestCount = 1;
  for (const [key, count] of counts) {
    if (count > bestCount || (count === bestCount && bestKey !== -1 && key < bestKey)) {
      bestKey = key;
      bestCount = count;
    }
  }
  return bestKey === -1 ? undefined : [Math.floor(bestKey / 65536), bestKey % 65536];
}

/** Replaces every left-to-right occurrence of `pair` in `ids` by `merged`. */
export function mergePairIn(ids: readonly number[], pair: MergePair, merged: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === pair[0] && ids[i + 1] === pair[1]) {
      out.push(merged);
      i++;
    } else {
      out.push(ids[i] as number);
    }
  }
  return out;
}

/**
 * The greedy-match rule of the reference code: decode the greedy tokens at the continuation's
 * positions and the continuation itself, remove the spaces (only U+0020, like Python's
 * `replace(" ", "")`), and compare the texts.
 */
export function isGreedyMatch(
  detokenize: (tokens: readonly number[]) => string,
  greedy: ArrayLike<number>,
  continuation: readonly number[],
): boolean {
  if (continuation.length === 0) return false;
  const withoutSpaces = (tokens: readonly number[]) => detokenize(tokens).replaceAll(' ', '');
  return withoutSpaces(Array.from(greedy)) === withoutSpaces(continuation);
}

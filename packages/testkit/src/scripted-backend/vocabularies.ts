/**
 * `size` tokens spelling one lowercase letter each, cycling: token t is 'a' + t mod 26 (so tokenizing a
 * letter gives the lowest id, `letter − 'a'`).
 */
export function letterVocabulary(size = 64): string[] {
  return Array.from({ length: size }, (_, token) => String.fromCharCode(97 + (token % 26)));
}

/**
 * The tokens `merged` (in that order, ids 0…), then every other single character of printable ASCII and
 * `\n`: a vocabulary in which any printable ASCII text can be tokenized, with a few multi-character
 * tokens that greedy longest-match tokenization prefers.
 */
export function asciiVocabulary(merged: readonly string[] = []): string[] {
  const characters = ['\n'];
  for (let code = 32; code < 127; code++) characters.push(String.fromCharCode(code));
  return [...merged, ...characters.filter((character) => !merged.includes(character))];
}

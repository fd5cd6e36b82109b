/**
 * GPT-2's printable stand-ins for bytes, used by Hugging Face `tokenizer.json` and GGUF `gpt2` vocabularies
 * to write byte-level tokens as strings: printable Latin-1 bytes stand for themselves, the other bytes
 * map to code points from U+0100 upwards.
 */
const byteToCharacter: readonly string[] = (() => {
  const characters: string[] = new Array(256);
  let next = 256;
  for (let byte = 0; byte < 256; byte++) {
    const printable = (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || byte >= 0xae;
    characters[byte] = String.fromCodePoint(printable ? byte : next++);
  }
  return characters;
})();

/** The byte-level string form of some bytes (e.g. `" the"` becomes `"Ġthe"`). */
export function byteLevelText(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byteToCharacter[byte];
  return text;
}

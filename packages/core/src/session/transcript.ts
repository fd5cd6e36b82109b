import { roleCode, roleName, type TokenRole } from '../ledger/token-role.js';

/**
 * Every token the conversation has ever seen, in stream order, whether or not it is still resident.
 * Adapters match new input against this (after eviction the cache is no longer a prefix of the
 * conversation). Grows by doubling; 5 bytes per token.
 */
export class Transcript {
  #tokens = new Int32Array(1024);
  #roles = new Uint8Array(1024);
  #length = 0;

  /** Number of tokens in the transcript. */
  get length(): number {
    return this.#length;
  }

  /** Adds `tokens` at the end, all with `role`. */
  append(tokens: ArrayLike<number>, role: TokenRole): void {
    this.#reserve(this.#length + tokens.length);
    const code = roleCode(role);
    for (let i = 0; i < tokens.length; i++) this.#tokens[this.#length + i] = tokens[i] as number;
    this.#roles.fill(code, this.#length, this.#length + tokens.length);
    this.#length += tokens.length;
  }

  /** A copy of the tokens in `[start, end)` (default: all). */
  tokens(start = 0, end = this.#length): number[] {
    return Array.from(this.#tokens.subarray(start, Math.min(end, this.#length)));
  }

  /** Forgets every token from `length` on. */
  truncate(length: number): void {
    if (!Number.isInteger(length) || length < 0 || length > this.#length) {
      throw new RangeError(`cannot truncate a transcript of ${this.#length} tokens to ${length}`);
    }
    this.#length = length;
  }

  /** A copy of the role codes (see `tokenRoles`) of every token, for snapshots. */
  roleCodes(): Uint8Array {
    return this.#roles.slice(0, this.#length);
  }

  /** A transcript holding `tokens` with the given role codes (from a snapshot). */
  static fromCodes(tokens: Int32Array, roles: Uint8Array): Transcript {
    const transcript = new Transcript();
    transcript.#reserve(tokens.length);
    transcript.#tokens.set(tokens);
    transcript.#roles.set(roles);
    transcript.#length = tokens.length;
    return transcript;
  }

  /** The role of the token at `index`; throws `RangeError` outside `[0, length)`. */
  roleAt(index: number): TokenRole {
    if (index < 0 || index >= this.#length) throw new RangeError(`transcript index ${index} out of range`);
    return roleName(this.#roles[index] as number);
  }

  #reserve(size: number): void {
    if (size <= this.#tokens.length) return;
    let next = this.#tokens.length;
    while (next < size) next *= 2;
    const tokens = new Int32Array(next);
    tokens.set(this.#tokens.subarray(0, this.#length));
    const roles = new Uint8Array(next);
    roles.set(this.#roles.subarray(0, this.#length));
    this.#tokens = tokens;
    this.#roles = roles;
  }
}

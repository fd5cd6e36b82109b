/**
 * The part of an ioredis client (`new Redis(…)` from `ioredis` 5) the store and the leases use, so a
 * cluster client or a test double fits too. Binary values go in as `Buffer`s and come back through
 * the `…Buffer` variants.
 */
export interface RedisClient {
  /** Runs a Lua script (`EVAL`): the first `keyCount` of `keysAndArguments` are keys, the rest arguments. */
  eval(script: string, keyCount: number, ...keysAndArguments: (string | number)[]): Promise<unknown>;
  /** Stores a binary value under `key` (`SET`). */
  set(key: string, value: Buffer): Promise<unknown>;
  /** The binary value under `key`, or null when there is none (`GET`). */
  getBuffer(key: string): Promise<Uint8Array | null>;
  /** Every field of the hash at `key` (`HGETALL`); empty when there is none. */
  hgetall(key: string): Promise<Record<string, string>>;
  /** Removes the keys, freeing their memory in the background (`UNLINK`). */
  unlink(...keys: string[]): Promise<unknown>;
}

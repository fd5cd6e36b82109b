/**
 * The part of an ioredis client (`new Redis(…)` from `ioredis` 5) the store and the leases use, so a
 * cluster client or a test double fits too. Binary values go in as `Buffer`s and come back through
 * the `…Buffer` variants.
 */
export interface RedisClient {
  eval(script: string, keyCount: number, ...keysAndArguments: (string | number)[]): Promise<unknown>;
  set(key: string, value: Buffer): Promise<unknown>;
  getBuffer(key: string): Promise<Uint8Array | null>;
  hgetall(key: string): Promise<Record<string, string>>;
  unlink(...keys: string[]): Promise<unknown>;
}

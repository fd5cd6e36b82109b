import { fnvHash } from './fnv-hash.js';
import type { TinyLlamaModel } from './tiny-llama-model.js';

const fingerprints = new WeakMap<TinyLlamaModel, number>();

/**
 * A 32-bit hash of a model's config and every tensor (name, shape, bytes), to tell models apart, e.g.
 * so a snapshot is not restored into a different model.
 */
export function modelFingerprint(model: TinyLlamaModel): number {
  const cached = fingerprints.get(model);
  if (cached !== undefined) return cached;
  const encoder = new TextEncoder();
  let hash = fnvHash(encoder.encode(JSON.stringify(model.config)));
  for (const name of [...model.tensors.keys()].sort()) {
    const tensor = model.tensors.get(name);
    if (!tensor) continue;
    hash = fnvHash(encoder.encode(`${name}:${tensor.shape.join('x')}`), hash);
    hash = fnvHash(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), hash);
  }
  fingerprints.set(model, hash);
  return hash;
}

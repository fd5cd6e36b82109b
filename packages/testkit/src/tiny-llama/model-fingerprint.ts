import { fnv1a32 } from '@sirllm/core';
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
  let hash = fnv1a32(encoder.encode(JSON.stringify(model.config)));
  for (const name of [...model.tensors.keys()].sort()) {
    const tensor = model.tensors.get(name);
    if (!tensor) continue;
    hash = fnv1a32(encoder.encode(`${name}:${tensor.shape.join('x')}`), hash);
    hash = fnv1a32(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), hash);
  }
  fingerprints.set(model, hash);
  return hash;
}

/** The reference backend's `ModelInfo.fingerprint` for a {@link modelFingerprint}: `tiny-llama:` + 8 hex digits. */
export function modelFingerprintText(fingerprint: number): string {
  return `tiny-llama:${fingerprint.toString(16).padStart(8, '0')}`;
}

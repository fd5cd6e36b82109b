import { fnv1a32 } from '@sirllm/core';

/** How many bytes of the ONNX file's head and of its tail go into a fingerprint. */
export const fingerprintSampleBytes = 65536;

/** What a model folder's fingerprint is computed from, wherever the folder lives (disk or HTTP). */
export interface FingerprintParts {
  /** config.json as text. */
  readonly configText: string;
  /** tokenizer.json, then tokenizer_config.json, each where present. */
  readonly tokenizerFiles: readonly Uint8Array[];
  /** The ONNX file's size in bytes. */
  readonly onnxSize: number;
  /** Its first `min(fingerprintSampleBytes, size)` bytes. */
  readonly onnxHead: Uint8Array;
  /** Its last `min(fingerprintSampleBytes, size)` bytes. */
  readonly onnxTail: Uint8Array;
}

/**
 * A model folder's `info.fingerprint` (`transformers:` and 8 hex digits): a hash of config.json, the
 * tokenizer files and the ONNX file's size, head and tail. The same folder gets the same fingerprint on
 * disk (Node, Bun, Deno) and served over HTTP (browsers), so a snapshot saved in one restores in the other.
 */
export function modelFingerprint(parts: FingerprintParts): string {
  let hash = fnv1a32(new TextEncoder().encode(parts.configText));
  for (const file of parts.tokenizerFiles) hash = fnv1a32(file, hash);
  hash = fnv1a32(new TextEncoder().encode(String(parts.onnxSize)), hash);
  hash = fnv1a32(parts.onnxHead, hash);
  hash = fnv1a32(parts.onnxTail, hash);
  return `transformers:${hash.toString(16).padStart(8, '0')}`;
}

/**
 * Flattens node-llama-cpp's nested GGUF metadata (`{ llama: { rope: { freq_base } } }`) into the
 * dotted keys of the file (`llama.rope.freq_base`). Arrays are kept as values.
 */
export function flattenGgufMetadata(metadata: unknown): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  const visit = (value: unknown, prefix: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value)) {
      for (const [key, inner] of Object.entries(value)) visit(inner, prefix ? `${prefix}.${key}` : key);
    } else {
      flat.set(prefix, value);
    }
  };
  visit(metadata, '');
  return flat;
}

/** A metadata number (GGUF integers may come back as bigint), or undefined. */
export function metadataNumber(metadata: ReadonlyMap<string, unknown>, key: string): number | undefined {
  const value = metadata.get(key);
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** A metadata string, or undefined. */
export function metadataString(metadata: ReadonlyMap<string, unknown>, key: string): string | undefined {
  const value = metadata.get(key);
  return typeof value === 'string' ? value : undefined;
}

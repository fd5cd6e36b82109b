import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const sampleSize = 64 * 1024;
const headerFallback = 16 * 1024 * 1024;

/**
 * A fallback identity when the file cannot be read (a wrapped model whose path is unknown): SHA-256 of
 * the parsed metadata and tensor infos. Models that differ only in weight values share it.
 */
export function ggufInfoFingerprint(metadata: unknown, tensorInfo: unknown): string {
  const json = JSON.stringify([metadata, tensorInfo], (_key, value) =>
    typeof value === 'bigint' ? value.toString() : value,
  );
  return createHash('sha256').update(`gguf-info:${json}`).digest('hex').slice(0, 32);
}

/**
 * A stable identity of a GGUF file: SHA-256 over its size, its whole header (metadata and tensor
 * infos, up to `headerEnd`) and three 64 KiB samples of the tensor data (start, middle, end). Two
 * models with the same architecture but different weights differ; reading it costs a few reads, not
 * a pass over the weights.
 */
export async function ggufFingerprint(path: string, headerEnd?: number): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const hash = createHash('sha256');
    hash.update(`gguf:${size}:`);
    const header = Math.min(size, headerEnd ?? headerFallback);
    const read = async (start: number, length: number) => {
      const buffer = new Uint8Array(Math.max(0, Math.min(length, size - start)));
      if (buffer.length > 0) await file.read(buffer, 0, buffer.length, start);
      hash.update(buffer);
    };
    await read(0, header);
    const dataSize = size - header;
    for (const start of [header, header + Math.floor(dataSize / 2) - sampleSize / 2, size - sampleSize]) {
      await read(Math.max(header, start), sampleSize);
    }
    return hash.digest('hex').slice(0, 32);
  } finally {
    await file.close();
  }
}

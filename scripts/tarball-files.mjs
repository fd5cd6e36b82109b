// The regular files inside a gzipped tarball as `npm pack`/`pnpm pack` write it (ustar, with pax or GNU long
// names), read with node:zlib alone; used by scripts/lint-packages.mjs to measure what a user downloads.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const blockSize = 512;
const decoder = new TextDecoder();

/** The text of a NUL-terminated header field. */
function headerText(header, start, length) {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

/** The number in an octal header field (size, mode). */
function headerOctal(header, start, length) {
  const text = headerText(header, start, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

/** The `path` record of a pax extended header ("<length> path=<value>\n" records), if it has one. */
function paxPath(data) {
  const text = decoder.decode(data);
  let offset = 0;
  while (offset < text.length) {
    const space = text.indexOf(' ', offset);
    if (space === -1) break;
    const length = Number.parseInt(text.slice(offset, space), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = text.slice(space + 1, offset + length - 1);
    if (record.startsWith('path=')) return record.slice('path='.length);
    offset += length;
  }
  return undefined;
}

/**
 * The regular files of the gzipped tarball at `tarballPath`, in archive order, each with its path inside the
 * archive (`package/…` for a packed npm package) and its bytes.
 * @param {string} tarballPath
 * @returns {{ name: string, data: Uint8Array }[]}
 */
export function tarballFiles(tarballPath) {
  const archive = gunzipSync(readFileSync(tarballPath));
  const files = [];
  let nextName;
  let offset = 0;
  while (offset + blockSize <= archive.length) {
    const header = archive.subarray(offset, offset + blockSize);
    if (header.every((byte) => byte === 0)) break;
    const size = headerOctal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + blockSize;
    const data = archive.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / blockSize) * blockSize;
    if (type === 'x') {
      nextName = paxPath(data) ?? nextName;
      continue;
    }
    if (type === 'L') {
      nextName = headerText(data, 0, data.length);
      continue;
    }
    if (type === 'g') continue;
    const prefix = headerText(header, 345, 155);
    const shortName = headerText(header, 0, 100);
    const name = nextName ?? (prefix === '' ? shortName : `${prefix}/${shortName}`);
    nextName = undefined;
    if (type === '0' || type === '\0') files.push({ name, data });
  }
  return files;
}

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readServedModelFolder } from '../src/browser/served-model-folder.js';
import { readModelFolder } from '../src/model-folder.js';

// A folder served over HTTP must get the fingerprint the same folder has on disk (so snapshots move between
// Node and a page), whatever the ONNX file's size and whether the server answers range requests.

type Server = 'ranges' | 'no ranges' | 'short ranges';

function folderFiles(onnxSize: number, bom: boolean): Map<string, Uint8Array> {
  const text = (value: string) => new TextEncoder().encode(value);
  const onnx = new Uint8Array(onnxSize);
  for (let index = 0; index < onnxSize; index++) onnx[index] = (index * 7919 + (index >> 8)) & 0xff;
  const config = text('{"model_type":"llama","vocab_size":64}');
  return new Map([
    ['config.json', bom ? Uint8Array.of(0xef, 0xbb, 0xbf, ...config) : config],
    ['tokenizer.json', text('{"model":{"type":"BPE"}}')],
    ['tokenizer_config.json', text('{"chat_template":"x"}')],
    ['onnx/model.onnx', onnx],
  ]);
}

function serve(files: Map<string, Uint8Array>, server: Server): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = new URL(String(input)).pathname.replace(/^\/models\/demo\//u, '');
    const bytes = files.get(path);
    if (bytes === undefined) return new Response('missing', { status: 404 });
    const range = /^bytes=(\d*)-(\d*)$/u.exec(new Headers(init?.headers).get('Range') ?? '');
    if (!range || server === 'no ranges') return new Response(bytes.slice().buffer, { status: 200 });
    let start = Number(range[1]);
    let end = range[2] === '' ? bytes.length - 1 : Math.min(bytes.length - 1, Number(range[2]));
    if (range[1] === '') {
      start = Math.max(0, bytes.length - Number(range[2]));
      end = bytes.length - 1;
    }
    if (server === 'short ranges') end = Math.max(start, end - 10);
    return new Response(bytes.slice(start, end + 1).buffer, {
      status: 206,
      headers: { 'Content-Range': `bytes ${start}-${end}/${bytes.length}` },
    });
  }) as typeof fetch;
}

const folders: string[] = [];
afterEach(() => {
  vi.unstubAllGlobals();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('readServedModelFolder', () => {
  for (const onnxSize of [1000, 65536, 65537, 200_000]) {
    for (const server of ['ranges', 'no ranges', 'short ranges'] as const) {
      it(`fingerprints a ${onnxSize}-byte ONNX file as on disk (server: ${server})`, async () => {
        const files = folderFiles(onnxSize, onnxSize === 1000);
        const folder = mkdtempSync(join(tmpdir(), 'sirllm-served-'));
        folders.push(folder);
        for (const [name, bytes] of files) {
          mkdirSync(join(folder, name, '..'), { recursive: true });
          writeFileSync(join(folder, name), bytes);
        }
        vi.stubGlobal('fetch', serve(files, server));
        const served = await readServedModelFolder('http://models.test/models/demo', 'fp32');
        expect(served.fingerprint).toBe(readModelFolder(folder, 'fp32').fingerprint);
        expect(served.parent).toBe('/models/');
        expect(served.id).toBe('demo');
        expect(served.config).toEqual({ model_type: 'llama', vocab_size: 64 });
      });
    }
  }

  it('names the URL of a missing file', async () => {
    const files = folderFiles(1000, false);
    files.delete('onnx/model.onnx');
    vi.stubGlobal('fetch', serve(files, 'ranges'));
    await expect(readServedModelFolder('http://models.test/models/demo/', 'fp32')).rejects.toThrow(
      /http:\/\/models\.test\/models\/demo\/onnx\/model\.onnx answered 404/u,
    );
  });
});

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Content types of the files the browser tests and the demo page serve. */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/jsonl; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The content type of a file name (octet-stream when unknown). */
export function contentTypeOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return contentTypes[dot < 0 ? '' : name.slice(dot)] ?? 'application/octet-stream';
}

/**
 * Answers a GET or HEAD with `bytes`, honouring one `Range: bytes=a-b` / `bytes=a-` / `bytes=-n` (206 with
 * Content-Range; 416 when unsatisfiable), as static servers do.
 */
export function sendBytes(
  request: IncomingMessage,
  response: ServerResponse,
  bytes: Uint8Array,
  name: string,
  headers: Record<string, string> = {},
): void {
  const size = bytes.length;
  const common = { 'Content-Type': contentTypeOf(name), 'Accept-Ranges': 'bytes', ...headers };
  const range = /^bytes=(\d*)-(\d*)$/u.exec(request.headers.range ?? '');
  let start = 0;
  let end = size - 1;
  let status = 200;
  if (range) {
    const [, from = '', to = ''] = range;
    if (from === '' && to !== '') start = Math.max(0, size - Number(to));
    else {
      start = Number(from);
      if (to !== '') end = Math.min(end, Number(to));
    }
    if (start > end || start >= size) {
      response.writeHead(416, { ...common, 'Content-Range': `bytes */${size}` });
      response.end();
      return;
    }
    status = 206;
  }
  const body = bytes.subarray(start, end + 1);
  response.writeHead(status, {
    ...common,
    'Content-Length': String(body.length),
    ...(status === 206 ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

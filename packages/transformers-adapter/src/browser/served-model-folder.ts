import { InvalidOptionError } from '@sirllm/core';
import { onnxFileOfDtype } from '../dtype.js';
import { parseModelConfig } from '../model-config.js';
import { fingerprintSampleBytes, modelFingerprint } from '../model-fingerprint.js';
import type { TransformersDtype } from '../transformers-backend-options.js';

/** A model folder served over HTTP, checked before transformers.js loads it. */
export interface ServedModelFolder {
  /** The folder's URL, ending in `/`. */
  readonly url: URL;
  /**
   * The path of the folder above it on the page's origin (transformers.js' `localModelPath`: it treats
   * a full URL there as remote) and the folder's name (the model id).
   */
  readonly parent: string;
  readonly id: string;
  readonly config: Record<string, unknown>;
  /** The same fingerprint as the folder has on disk (`modelFingerprint`). */
  readonly fingerprint: string;
}

/**
 * Fetches a served folder's config.json and tokenizer files, and the ONNX file's size, head and tail
 * (HTTP range requests; a server without them sends the whole file once). Throws `InvalidOptionError`
 * naming the URL that failed, so a page that forgot to serve the model says so before loading anything.
 */
export async function readServedModelFolder(
  model: string,
  dtype: TransformersDtype,
): Promise<ServedModelFolder> {
  const base = globalThis.location?.href;
  let url: URL;
  try {
    url = new URL(model.endsWith('/') ? model : `${model}/`, base);
  } catch {
    throw new InvalidOptionError({
      option: 'model',
      value: model,
      expected: 'the URL of a model folder (absolute, or relative to the page)',
    });
  }
  const origin = globalThis.location?.origin;
  if (origin !== undefined && url.origin !== origin) {
    throw new InvalidOptionError({
      option: 'model',
      value: model,
      expected: `a model folder on the page's own origin (${origin}): transformers.js loads local models by path; serve the folder from the page's server or proxy it there`,
    });
  }
  const fetchFile = async (name: string, init?: RequestInit): Promise<Response> => {
    const fileUrl = new URL(name, url);
    let response: Response;
    try {
      response = await fetch(fileUrl, init);
    } catch (cause) {
      throw new InvalidOptionError({
        option: 'model',
        value: model,
        expected: `a model folder the page can fetch (GET ${fileUrl.href} failed: ${(cause as Error).message})`,
      });
    }
    return response;
  };
  const required = async (name: string, init?: RequestInit): Promise<Response> => {
    const response = await fetchFile(name, init);
    if (!response.ok) {
      throw new InvalidOptionError({
        option: 'model',
        value: model,
        expected: `a served model folder with ${name} (GET ${new URL(name, url).href} answered ${response.status} ${response.statusText})`,
      });
    }
    return response;
  };
  // Decoded as Node reads it from disk (a byte-order mark kept), so the fingerprint is the same.
  const configText = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
    await (await required('config.json')).arrayBuffer(),
  );
  const config = parseModelConfig(configText, model);
  const tokenizerFiles: Uint8Array[] = [];
  for (const name of ['tokenizer.json', 'tokenizer_config.json']) {
    const response = await fetchFile(name);
    if (response.ok) tokenizerFiles.push(new Uint8Array(await response.arrayBuffer()));
  }
  const onnxName = `onnx/${onnxFileOfDtype[dtype]}`;
  const sample = await onnxSample((range) => required(onnxName, range ? { headers: { Range: range } } : {}));
  const parentUrl = new URL('..', url);
  const id = decodeURIComponent(url.pathname.slice(parentUrl.pathname.length).replace(/\/$/u, ''));
  return {
    url,
    parent: parentUrl.pathname,
    id,
    config,
    fingerprint: modelFingerprint({ configText, tokenizerFiles, ...sample }),
  };
}

/**
 * The ONNX file's size, head and tail from two range requests; from the whole file when the server ignores
 * ranges or answers one short (`get(undefined)` is a plain GET).
 */
async function onnxSample(
  get: (range: string | undefined) => Promise<Response>,
): Promise<{ onnxSize: number; onnxHead: Uint8Array; onnxTail: Uint8Array }> {
  const whole = async (response?: Response) => {
    const bytes = new Uint8Array(await (response ?? (await get(undefined))).arrayBuffer());
    return {
      onnxSize: bytes.length,
      onnxHead: bytes.slice(0, fingerprintSampleBytes),
      onnxTail: bytes.slice(Math.max(0, bytes.length - fingerprintSampleBytes)),
    };
  };
  const first = await get(`bytes=0-${fingerprintSampleBytes - 1}`);
  if (first.status !== 206) return whole(first);
  const total = Number(/\/(\d+)$/u.exec(first.headers.get('Content-Range') ?? '')?.[1]);
  const onnxHead = new Uint8Array(await first.arrayBuffer());
  if (!Number.isInteger(total) || onnxHead.length !== Math.min(fingerprintSampleBytes, total)) return whole();
  if (total <= fingerprintSampleBytes) return { onnxSize: total, onnxHead, onnxTail: onnxHead };
  const last = await get(`bytes=${total - fingerprintSampleBytes}-${total - 1}`);
  const tail = new Uint8Array(await last.arrayBuffer());
  if (last.status === 206 && tail.length === fingerprintSampleBytes) {
    return { onnxSize: total, onnxHead, onnxTail: tail };
  }
  if (last.status === 200 && tail.length === total) {
    return { onnxSize: total, onnxHead, onnxTail: tail.slice(-fingerprintSampleBytes) };
  }
  return whole();
}

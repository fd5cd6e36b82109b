import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { createTinyLlama, transformersModelFiles } from '../../packages/testkit/src/index.ts';
import { browserTestModels } from '../../packages/transformers-adapter/test-browser/test-model-specs.ts';
import { sendBytes } from './static-files.ts';

/** The folder of onnxruntime-web's `dist/` files: the version transformers.js pins, as the adapter resolves it. */
export function onnxRuntimeWebDistribution(): string {
  const adapter = join(import.meta.dirname, '../../packages/transformers-adapter/package.json');
  const transformersEntry = createRequire(adapter).resolve('@huggingface/transformers');
  let folder = dirname(createRequire(transformersEntry).resolve('onnxruntime-web'));
  while (!folder.endsWith('dist') && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}

/**
 * A Vite plugin for the in-page tests: serves the testkit models of `browserTestModels` as model folders
 * at `/test-models/<name>/…` (generated on first request, the same seeded models the page rebuilds as
 * its reference) and onnxruntime-web's files at `/ort/…`, both with range requests. Nothing is fetched
 * from outside.
 */
export function testModelServer(): Plugin {
  const folders = new Map<string, Map<string, Uint8Array>>();
  const encoder = new TextEncoder();
  const folderOf = (name: string) => {
    let files = folders.get(name);
    if (files === undefined) {
      const spec = browserTestModels.find((model) => model.name === name);
      if (spec === undefined) return undefined;
      files = new Map();
      for (const [path, content] of transformersModelFiles(createTinyLlama(spec.tinyLlama), spec.export)) {
        files.set(path, typeof content === 'string' ? encoder.encode(content) : content);
      }
      folders.set(name, files);
    }
    return files;
  };
  return {
    name: 'sirllm-test-model-server',
    configureServer(server) {
      const ort = onnxRuntimeWebDistribution();
      server.middlewares.use((request, response, next) => {
        const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
        const model = /^\/test-models\/([^/]+)\/(.+)$/u.exec(path);
        if (model) {
          const file = folderOf(model[1] as string)?.get(model[2] as string);
          if (file === undefined) {
            response.writeHead(404).end();
            return;
          }
          sendBytes(request, response, file, model[2] as string);
          return;
        }
        const runtime = /^\/ort\/(ort-[\w.-]+\.(?:mjs|wasm))$/u.exec(path);
        if (runtime) {
          sendBytes(request, response, new Uint8Array(readFileSync(join(ort, runtime[1] as string))), path);
          return;
        }
        next();
      });
    },
  };
}

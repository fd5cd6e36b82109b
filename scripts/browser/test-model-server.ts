import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { createTinyLlama, transformersModelFiles } from '../../packages/testkit/src/index.ts';
import { onnxRuntimeWebDistribution } from '../../packages/transformers-adapter/src/wasm-runtime.ts';
import { browserTestModels } from '../../packages/transformers-adapter/test-browser/test-model-specs.ts';

/** Writes the model folders of `browserTestModels` into `root` (the same seeded models the page rebuilds). */
function writeTestModels(root: string): void {
  for (const spec of browserTestModels) {
    for (const [path, content] of transformersModelFiles(createTinyLlama(spec.tinyLlama), spec.export)) {
      const file = join(root, spec.name, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }
}

/**
 * A Vite plugin for the in-page tests: the testkit models of `browserTestModels` as model folders at
 * `/test-models/<name>/…` (written to a temporary folder when the server starts, removed when it closes)
 * and onnxruntime-web's files at `/ort/…`. Vite's own file server answers them (content types, range
 * requests); a file that is not there is a 404. Nothing is fetched from outside.
 */
export function testModelServer(): Plugin {
  return {
    name: 'sirllm-test-model-server',
    config: () => ({ server: { fs: { strict: false } } }),
    configureServer(server) {
      const models = mkdtempSync(join(tmpdir(), 'sirllm-browser-models-'));
      writeTestModels(models);
      server.httpServer?.once('close', () => rmSync(models, { recursive: true, force: true }));
      const folders = { '/test-models/': models, '/ort/': onnxRuntimeWebDistribution() };
      server.middlewares.use((request, response, next) => {
        const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
        for (const [prefix, folder] of Object.entries(folders)) {
          if (!path.startsWith(prefix)) continue;
          const file = join(folder, path.slice(prefix.length));
          if (!file.startsWith(folder) || !existsSync(file)) {
            response.writeHead(404).end();
            return;
          }
          request.url = `/@fs${file}`;
        }
        next();
      });
    },
  };
}

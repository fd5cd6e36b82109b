import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { demoModelFiles, type ServedFile } from './served-files.ts';

/**
 * Serves the model folder at a fixed path (`/models/sirllm-grocery-demo/…`) in `vite dev`, and copies it
 * into `dist/` on `vite build` (onnxruntime-web's files are the worker's `?url` assets): the page fetches
 * nothing from any other origin.
 */
function modelFiles(files: ServedFile[]): Plugin {
  const byPath = new Map(files.map((entry) => [entry.urlPath, entry.file]));
  return {
    name: 'sirllm-model-files',
    configureServer(server) {
      server.middlewares.use((request, _response, next) => {
        const file = byPath.get(new URL(request.url ?? '/', 'http://localhost').pathname);
        // Vite's own file server answers it (with range requests and the right content type).
        if (file !== undefined) request.url = `/@fs${file}`;
        next();
      });
    },
    generateBundle() {
      for (const { urlPath, file } of files) {
        this.emitFile({ type: 'asset', fileName: urlPath.slice(1), source: readFileSync(file) });
      }
    },
  };
}

/** Cross-origin isolation: lets onnxruntime-web use more than one thread (`?threads=2`). */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // No single-page fallback: a missing file must be a 404, not index.html (transformers.js probes optional
  // files such as generation_config.json and would parse the HTML as JSON).
  appType: 'mpa',
  plugins: [modelFiles(demoModelFiles())],
  server: { host: '127.0.0.1', headers: isolation, fs: { strict: false } },
  preview: { host: '127.0.0.1', headers: isolation },
  worker: { format: 'es' },
  build: { target: 'es2022' },
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
});

import { defineConfig } from 'tsup';

export default defineConfig({
  // The browser entry shares chunks with the Node entry but reaches no `node:` module.
  entry: { index: 'src/index.ts', 'browser/index': 'src/browser/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  external: ['@huggingface/transformers'],
});

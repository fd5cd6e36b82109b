import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'agent/index': 'src/agent/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  external: [/^@langchain\//, 'langchain'],
});

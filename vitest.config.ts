import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.aliases.ts';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'tools/*/src/**/*.test.ts',
      'examples/test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    // Loading a native backend (node-llama-cpp, onnxruntime) in beforeAll can take >10 s on a busy machine.
    hookTimeout: 60_000,
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.ts';

// The root config plus the runtime self-check under .ci/runtime-check, rooted at the repository root.
// Used by .ci/run for the Node 24 / Bun / Deno passes; the root config (pnpm test) is left untouched.
export default mergeConfig(
  base,
  defineConfig({
    root: fileURLToPath(new URL('..', import.meta.url)),
    test: {
      include: ['.ci/runtime-check/**/*.test.ts'],
    },
  }),
);

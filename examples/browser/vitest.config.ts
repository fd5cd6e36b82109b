import { defineConfig } from 'vitest/config';

/**
 * `pnpm test:browser`, page half: builds this page, serves it on 127.0.0.1 and drives Debian's Chromium
 * through it with playwright-core (tests in `test/`, run by Node). The packages are used as built
 * (`dist`), the way the page imports them.
 */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});

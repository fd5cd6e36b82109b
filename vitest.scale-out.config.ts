import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

// `pnpm test:scale-out`: the multi-process test of sessions shared through Redis (needs redis-server and
// the built packages: its workers are child processes running dist/, as a deployment would).
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['packages/redis/scale-out/**/*.test.ts'],
      testTimeout: 300_000,
    },
  }),
);

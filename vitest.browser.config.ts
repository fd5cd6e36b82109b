import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumArguments, chromiumExecutable } from './scripts/browser/chromium.ts';
import { testModelServer } from './scripts/browser/test-model-server.ts';
import { workspaceAliases } from './vitest.aliases.ts';

/**
 * `pnpm test:browser`, in-page half: the tests under `packages/<name>/test-browser/` run inside Debian's
 * Chromium (headless, offline, driven by Playwright with the system executable: nothing downloads), so
 * the backend conformance suite and the browser session stores run where users run them.
 */
export default defineConfig({
  resolve: { alias: workspaceAliases },
  plugins: [testModelServer()],
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  test: {
    include: ['packages/*/test-browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: { executablePath: chromiumExecutable(), args: chromiumArguments() },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});

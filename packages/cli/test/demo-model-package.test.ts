import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bundledDemoData,
  bundledDemoModel,
  demoModelGguf,
  installedDemoModel,
} from '../src/demo/demo-assets.js';

// `npx sirllm demo` with nothing cloned: the model reaches the user as the npm package
// @sirllm/demo-model (models/sirllm-grocery-demo), a dependency of the CLI.

describe('the demo model as a package', () => {
  it('is found through the installed @sirllm/demo-model when no repository is around', () => {
    const installed = installedDemoModel();
    expect(installed).toBeDefined();
    expect(existsSync(join(installed as string, demoModelGguf))).toBe(true);
    expect(bundledDemoData(installed)).toBeDefined();
    const manifest = JSON.parse(readFileSync(join(installed as string, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('@sirllm/demo-model');
    // Everything the demo loads is in the published files.
    for (const file of [
      demoModelGguf,
      'onnx/model.onnx',
      'tokenizer.json',
      'config.json',
      'data/grocery/keys.jsonl',
    ]) {
      expect(manifest.files, file).toContain(file);
    }
  });

  // NODE_PATH (pnpm sets it for `pnpm test`) makes the workspace's packages resolvable from any folder.
  it.skipIf(process.env.NODE_PATH !== undefined)(
    'is not found from a folder with neither a repository above it nor the package installed',
    () => {
      const outside = mkdtempSync(join(tmpdir(), 'sirllm-no-model-'));
      try {
        expect(bundledDemoModel(outside)).toBeUndefined();
        expect(installedDemoModel(outside)).toBeUndefined();
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    },
  );
});

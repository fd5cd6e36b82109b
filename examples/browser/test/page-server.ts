import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, type PreviewServer, preview } from 'vite';

const root = join(import.meta.dirname, '..');

/** The page built into a temporary `dist-test/` and served by `vite preview` on 127.0.0.1 (any free port). */
export async function servePage(): Promise<{ url: string; close: () => Promise<void> }> {
  const outDir = join(root, 'dist-test');
  await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server: PreviewServer = await preview({
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite preview did not report its URL');
  return {
    url,
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

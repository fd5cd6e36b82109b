import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One file the page fetches at run time: its URL path and where it lies on disk. */
export interface ServedFile {
  readonly urlPath: string;
  readonly file: string;
}

const require = createRequire(import.meta.url);

/** The demo model's files and the held-out episodes, from the `@sirllm/demo-model` package. */
export function demoModelFiles(): ServedFile[] {
  const folder = dirname(require.resolve('@sirllm/demo-model/package.json'));
  return [
    'config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    'onnx/model.onnx',
    'data/grocery/keys.jsonl',
    'data/README.md', // where the held-out episodes come from, shipped with them
  ].map((name) => ({ urlPath: `/models/sirllm-grocery-demo/${name}`, file: join(folder, name) }));
}

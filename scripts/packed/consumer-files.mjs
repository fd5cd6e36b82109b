// The files of the consumer project the packed-install check creates outside the workspace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Third-party packages a user installs beside ours, at the versions the workspace tests. */
export function thirdPartyDependencies(root) {
  const examples = JSON.parse(readFileSync(join(root, 'examples', 'package.json'), 'utf8')).dependencies;
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies;
  const pick = (names, from) => Object.fromEntries(names.map((name) => [name, from[name]]));
  return {
    dependencies: pick(
      [
        'node-llama-cpp',
        '@huggingface/transformers',
        '@langchain/core',
        '@langchain/langgraph',
        'langchain',
        'ai',
        'zod',
        'ioredis',
      ],
      examples,
    ),
    devDependencies: pick(['typescript', '@types/node'], rootManifest),
  };
}

/** A TypeScript file that imports every public entry point: it must type-check under node16 and bundler. */
export function consumerSource(entryPoints) {
  const lines = entryPoints.map((entry, index) => `import * as entry${index} from '${entry}';`);
  lines.push(`export const loaded = [${entryPoints.map((_, index) => `entry${index}`).join(', ')}];`);
  // A few typed uses, so the declarations must really resolve (an unresolved one would be \`any\` and fail below).
  lines.push(
    "import { MemorySession, sirllm, type KVBackend } from '@sirllm/core';",
    "import { ChatSirLLM } from '@sirllm/langchain';",
    "import { createSirLLM } from '@sirllm/ai-sdk';",
    'declare const backend: KVBackend;',
    'export const session: Promise<MemorySession> = MemorySession.create({ backend, capacity: 64, policy: sirllm() });',
    'export const model: ChatSirLLM = new ChatSirLLM({ backend, capacity: 64 });',
    'export const provider: string = createSirLLM({ backend, capacity: 64 })().provider;',
  );
  return `${lines.join('\n')}\n`;
}

/** tsconfig of one module resolution mode. */
export function consumerTsconfig(mode) {
  const compilerOptions =
    mode === 'node16'
      ? { module: 'node16', moduleResolution: 'node16' }
      : { module: 'esnext', moduleResolution: 'bundler' };
  return `${JSON.stringify(
    {
      compilerOptions: {
        ...compilerOptions,
        target: 'es2022',
        lib: ['es2022', 'dom'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      },
      files: ['consumer.ts'],
    },
    null,
    2,
  )}\n`;
}

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@sirllm/core': source('core'),
      '@sirllm/testkit/conformance': fileURLToPath(
        new URL('./packages/testkit/src/conformance/index.ts', import.meta.url),
      ),
      '@sirllm/testkit': source('testkit'),
      '@sirllm/llamacpp': fileURLToPath(new URL('./packages/llamacpp-adapter/src/index.ts', import.meta.url)),
      '@sirllm/eval/node': fileURLToPath(new URL('./packages/eval/src/node/index.ts', import.meta.url)),
      '@sirllm/eval': fileURLToPath(new URL('./packages/eval/src/index.ts', import.meta.url)),
      '@sirllm/transformers': fileURLToPath(
        new URL('./packages/transformers-adapter/src/index.ts', import.meta.url),
      ),
      '@sirllm/chat/conformance': fileURLToPath(
        new URL('./packages/chat/src/conformance/index.ts', import.meta.url),
      ),
      '@sirllm/redis': source('redis'),
      '@sirllm/chat/node': fileURLToPath(new URL('./packages/chat/src/node/index.ts', import.meta.url)),
      '@sirllm/chat': source('chat'),
      '@sirllm/ai-sdk/node': fileURLToPath(new URL('./packages/ai-sdk/src/node/index.ts', import.meta.url)),
      '@sirllm/ai-sdk': source('ai-sdk'),
      '@sirllm/langchain': fileURLToPath(
        new URL('./packages/langchain-adapter/src/index.ts', import.meta.url),
      ),
    },
  },
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

import { fileURLToPath } from 'node:url';

const file = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));
const source = (name: string) => file(`${name}/src/index.ts`);

/**
 * Every workspace package's entry points mapped to their sources, for the vitest configurations (Node
 * and browser): tests run against the source, not a stale build. A subpath comes before its package,
 * because an alias also matches the names that start with it.
 */
export const workspaceAliases: Record<string, string> = {
  '@sirllm/core': source('core'),
  '@sirllm/testkit/conformance': file('testkit/src/conformance/index.ts'),
  '@sirllm/testkit': source('testkit'),
  '@sirllm/llamacpp': source('llamacpp-adapter'),
  '@sirllm/eval/node': file('eval/src/node/index.ts'),
  '@sirllm/eval': source('eval'),
  '@sirllm/transformers/browser': file('transformers-adapter/src/browser/index.ts'),
  '@sirllm/transformers': source('transformers-adapter'),
  '@sirllm/chat/conformance': file('chat/src/conformance/index.ts'),
  '@sirllm/redis': source('redis'),
  '@sirllm/chat/browser': file('chat/src/browser/index.ts'),
  '@sirllm/chat/node': file('chat/src/node/index.ts'),
  '@sirllm/chat': source('chat'),
  '@sirllm/ai-sdk/node': file('ai-sdk/src/node/index.ts'),
  '@sirllm/ai-sdk': source('ai-sdk'),
  '@sirllm/langchain': source('langchain-adapter'),
};

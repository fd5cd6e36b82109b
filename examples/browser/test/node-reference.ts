import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ChatSessions } from '@sirllm/chat';
import { type ChatMessage, sirllm } from '@sirllm/core';
import { demoPolicies, heldOutGroceryEpisodes, runDemoEpisode } from '@sirllm/eval';
import { createTransformersBackend, type TransformersBackend } from '@sirllm/transformers';

/** What the Node run of the same episodes gives: the answers the page must reproduce. */
export interface NodeEpisode {
  readonly episode: string;
  readonly policy: string;
  readonly recalled: boolean;
  readonly answers: readonly number[];
  readonly milliseconds: number;
}

/** The bundled demo model's folder (the `@sirllm/demo-model` package). */
export const demoModelFolder = dirname(
  createRequire(import.meta.url).resolve('@sirllm/demo-model/package.json'),
);

/** The demo model on Node's transformers.js backend (onnxruntime-node, one thread). */
export function loadNodeBackend(): Promise<TransformersBackend> {
  return createTransformersBackend({ model: demoModelFolder, threads: 1 });
}

/** The first `count` held-out episodes played by both demo policies on Node, as the page plays them. */
export async function playOnNode(
  backend: TransformersBackend,
  count: number,
  capacity: number,
): Promise<NodeEpisode[]> {
  const text = readFileSync(join(demoModelFolder, 'data/grocery/keys.jsonl'), 'utf8');
  const results: NodeEpisode[] = [];
  for (const episode of heldOutGroceryEpisodes(text, count)) {
    for (const { label, policy } of demoPolicies()) {
      const started = performance.now();
      const result = await runDemoEpisode(episode, { backend, policy, capacity });
      results.push({
        episode: result.episode,
        policy: label,
        recalled: result.recalled,
        answers: result.answers,
        milliseconds: performance.now() - started,
      });
    }
  }
  return results;
}

/** The page's chat (128 cells, SirLLM η = 1, greedy, 24 tokens a reply) on Node: each reply in turn. */
export async function chatOnNode(backend: TransformersBackend, said: readonly string[]): Promise<string[]> {
  const chat = new ChatSessions({ backend, capacity: 128, policy: () => sirllm({ sinks: 4, decay: 1 }) });
  const history: ChatMessage[] = [];
  const replies: string[] = [];
  try {
    for (const text of said) {
      history.push({ role: 'user', content: text });
      const turn = await chat.turn({ sessionId: 'node', history, maxTokens: 24 });
      history.push({ role: 'assistant', content: turn.content });
      replies.push(turn.content);
    }
  } finally {
    await chat.dispose();
  }
  return replies;
}

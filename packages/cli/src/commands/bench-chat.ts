import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { type KVBackend, sirllm } from '@sirllm/core';
import { ChatSirLLM } from '@sirllm/langchain';
import { createReferenceBackend } from '@sirllm/testkit';
import { markdownTable, quickNote } from './measure.js';

const capacity = 512;
const maxTokens = 8;
const fullCheckpoints = [10, 100, 1000];
/** Quick: the last checkpoint is dropped (the chat runs 102 turns instead of 1,002). */
const quickCheckpoints = [10, 100];
const window = 2;

const userTurn = (turn: number) => `Turn ${turn}: note that item ${turn} costs ${(turn * 7) % 97} coins.`;

/**
 * Turn latency of a long chat: ChatSirLLM (incremental: only the new message and the reply are
 * evaluated) vs the usual integration pattern of re-sending the history, trimmed to the cache, to a fresh
 * sequence every turn. Both see the same history at the measured turns. `quick`: checkpoints 10 and 100
 * only.
 */
export async function benchmarkChat({
  quick = false,
  name = 'reference backend (2 layers × 64)',
  makeBackend = () => createReferenceBackend({ model: { layers: 2, hiddenSize: 64, seed: 5 } }),
}: {
  quick?: boolean;
  name?: string;
  makeBackend?: () => KVBackend | Promise<KVBackend>;
} = {}): Promise<string> {
  const checkpoints = quick ? quickCheckpoints : fullCheckpoints;
  const backend = await makeBackend();
  const template = backend.chatTemplate;
  if (!template) throw new Error(`backend ${backend.info.name} has no chat template`);
  const model = new ChatSirLLM({ backend, capacity, maxTokens, policy: () => sirllm({ decay: 0.9 }) });
  const history: BaseMessage[] = [new SystemMessage('You keep track of prices.')];
  const incremental = new Map<number, number[]>();
  const last = Math.max(...checkpoints) + window;
  for (let turn = 1; turn <= last; turn++) {
    history.push(new HumanMessage(userTurn(turn)));
    const start = performance.now();
    const reply = await model.invoke(history);
    const elapsed = performance.now() - start;
    history.push(new AIMessage(reply.text));
    for (const checkpoint of checkpoints) {
      if (Math.abs(turn - checkpoint) <= window)
        incremental.set(checkpoint, [...(incremental.get(checkpoint) ?? []), elapsed]);
    }
  }
  const rows: string[][] = [];
  for (const checkpoint of checkpoints) {
    const times: number[] = [];
    for (let turn = checkpoint - window; turn <= checkpoint + window; turn++) {
      const messages = history.slice(0, 1 + 2 * (turn - 1) + 1).map((message) => ({
        role:
          message.getType() === 'human'
            ? ('user' as const)
            : message.getType() === 'ai'
              ? ('assistant' as const)
              : ('system' as const),
        content: message.text,
      }));
      const tokens = backend.tokenize(template.render(messages, { addGenerationPrompt: true }), {
        special: true,
      });
      const trimmed = tokens.slice(Math.max(0, tokens.length - (capacity - maxTokens)));
      const start = performance.now();
      const sequence = await backend.createSequence({ capacity });
      let next = (await sequence.append(trimmed, { sample: {} })).next;
      for (let generated = 1; generated < maxTokens && next; generated++) {
        next = (await sequence.append([next.token], { sample: {} })).next;
      }
      await sequence.dispose();
      times.push(performance.now() - start);
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const ours = mean(incremental.get(checkpoint) ?? []);
    const baseline = mean(times);
    rows.push([
      String(checkpoint),
      `${ours.toFixed(1)} ms`,
      `${baseline.toFixed(1)} ms`,
      `×${(baseline / ours).toFixed(1)}`,
    ]);
  }
  await model.dispose();
  await backend.dispose();
  return [
    `## Chat turn latency: ChatSirLLM vs re-prefilling the trimmed history (${name}, capacity ${capacity}, ${maxTokens}-token replies, mean of turns t±${window})${quick ? ' — quick' : ''}`,
    '',
    ...(quick
      ? [
          quickNote(
            `turns ${checkpoints.join(', ')} (${last} turns) instead of ${fullCheckpoints.join(', ')}`,
          ),
          '',
        ]
      : []),
    markdownTable(['turn', 'ChatSirLLM (incremental)', 're-prefill trimmed history', 'speed-up'], rows),
  ].join('\n');
}

/**
 * The same benchmark on the llama.cpp backend, with a testkit model (4 layers × 256, seeded random
 * weights) written as GGUF to a temporary folder: nothing is downloaded. One llama.cpp thread: a model
 * this small runs fastest on one, and with more threads than free cores (2 on a 2-core machine with any
 * other load) llama.cpp spends its time in thread barriers: 0.6–3 s per turn in one such run here, where
 * one thread takes ~40–65 ms (docs/performance.md).
 */
export async function benchmarkChatOnLlamaCpp({ quick = false } = {}): Promise<string> {
  const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createTinyLlama, tinyLlamaToGguf } = await import('@sirllm/testkit');
  const { createLlamaCppBackend } = await import('@sirllm/llamacpp');
  const folder = await mkdtemp(join(tmpdir(), 'sirllm-bench-chat-'));
  try {
    const modelPath = join(folder, 'bench.gguf');
    const model = createTinyLlama({
      layers: 4,
      hiddenSize: 256,
      intermediateSize: 512,
      attentionHeads: 8,
      keyValueHeads: 4,
      seed: 5,
    });
    await writeFile(modelPath, tinyLlamaToGguf(model));
    return await benchmarkChat({
      quick,
      name: 'llama.cpp backend, 1 thread, testkit model 4 layers × 256 (GGUF F32)',
      makeBackend: () => createLlamaCppBackend({ modelPath, threads: 1, contextSize: 1024 }),
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

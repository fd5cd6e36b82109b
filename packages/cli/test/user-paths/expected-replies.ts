import type { ChatMessage, KVBackend } from '@sirllm/core';
import { referenceForward, type TinyLlamaModel } from '@sirllm/testkit';
import type { OpenedBackend } from './user-path-backends.js';

/**
 * The greedy continuation of `tokens` by the float64 reference forward pass over the whole history
 * (no cache, no engine, no eviction): the independent expectation for every backend running the testkit
 * weights. Throws when two logits come within `minimumMargin` of each other at a step, where a float32
 * backend could legitimately pick the other token: then the test's prompt must change, not its
 * expectation.
 */
export function referenceGreedy(
  weights: TinyLlamaModel,
  tokens: readonly number[],
  {
    maxTokens,
    endTokens,
    minimumMargin = 0.02,
  }: { maxTokens: number; endTokens: readonly number[]; minimumMargin?: number },
): number[] {
  const history = [...tokens];
  const reply: number[] = [];
  while (reply.length < maxTokens) {
    const logits = referenceForward(weights, history).at(-1) as Float64Array;
    let best = 0;
    for (let token = 1; token < logits.length; token++) {
      if ((logits[token] as number) > (logits[best] as number)) best = token;
    }
    let runnerUp = Number.NEGATIVE_INFINITY;
    for (let token = 0; token < logits.length; token++) {
      if (token !== best) runnerUp = Math.max(runnerUp, logits[token] as number);
    }
    if ((logits[best] as number) - runnerUp < minimumMargin) {
      throw new Error(
        `the reference's top two logits are ${(logits[best] as number) - runnerUp} apart after ${history.length} tokens: pick another prompt`,
      );
    }
    if (endTokens.includes(best)) break;
    reply.push(best);
    history.push(best);
  }
  return reply;
}

/**
 * The greedy continuation of `tokens` on a fresh sequence of `backend` that holds the whole history:
 * the argmax after each fed token, read from the backend directly (no MemorySession, no ChatSirLLM, no
 * sampler, no eviction). The expectation for the bundled model, which has no reference forward pass.
 */
export async function fullCacheGreedy(
  backend: KVBackend,
  tokens: readonly number[],
  { maxTokens, capacity = 1024 }: { maxTokens: number; capacity?: number },
): Promise<number[]> {
  const endTokens = backend.info.specialTokens.endOfGeneration;
  const sequence = await backend.createSequence({ capacity });
  try {
    const reply: number[] = [];
    let argmax = (await sequence.append(tokens, { argmax: true })).argmax;
    while (reply.length < maxTokens) {
      const next = argmax?.at(-1);
      if (next === undefined) throw new Error('append({ argmax: true }) returned no argmax');
      if (endTokens.includes(next)) break;
      reply.push(next);
      argmax = (await sequence.append([next], { argmax: true })).argmax;
    }
    return reply;
  } finally {
    await sequence.dispose();
  }
}

/** The greedy reply an opened backend must give after `tokens`: the reference's for testkit weights, else the full-cache one. */
export async function expectedGreedy(
  opened: OpenedBackend,
  tokens: readonly number[],
  maxTokens: number,
): Promise<number[]> {
  const { backend, weights } = opened;
  return weights
    ? referenceGreedy(weights, tokens, { maxTokens, endTokens: backend.info.specialTokens.endOfGeneration })
    : fullCacheGreedy(backend, tokens, { maxTokens });
}

/** One turn of {@link expectedChat}. */
export interface ExpectedTurn {
  readonly reply: string;
  readonly replyTokens: readonly number[];
  /** Tokens of the conversation before this turn's new message (what the cache already holds). */
  readonly cacheRead: number;
  /** Tokens this turn feeds: the new message and the opening of the reply. */
  readonly evaluated: number;
}

/**
 * What a chat over `inputs` must give, computed without ChatSirLLM: each turn's new text is the full
 * rendering of the history (the backend's chat template) minus the rendering the conversation already
 * holds, the reply is the greedy continuation of every token so far (the generated tokens as generated,
 * not re-tokenized), and the template's closing text after a reply is fed before the next message.
 */
export async function expectedChat(
  opened: OpenedBackend,
  inputs: readonly string[],
  maxTokens: number,
): Promise<ExpectedTurn[]> {
  const { backend } = opened;
  const template = backend.chatTemplate;
  if (!template) throw new Error(`${opened.name} has no chat template`);
  const messages: ChatMessage[] = [];
  const tokens: number[] = [];
  let rendered = '';
  const turns: ExpectedTurn[] = [];
  for (const input of inputs) {
    messages.push({ role: 'user', content: input });
    const prompt = template.render(messages, { addGenerationPrompt: true });
    if (!prompt.startsWith(rendered)) throw new Error(`${template.name} is not prefix-stable`);
    const fresh = backend.tokenize(prompt.slice(rendered.length), { special: true });
    const cacheRead = tokens.length;
    tokens.push(...fresh);
    const replyTokens = await expectedGreedy(opened, tokens, maxTokens);
    const reply = backend.detokenize(replyTokens);
    messages.push({ role: 'assistant', content: reply });
    rendered = template.render(messages, { addGenerationPrompt: false });
    if (!rendered.startsWith(prompt + reply)) throw new Error(`${template.name} does not close replies`);
    const closing = rendered.slice(prompt.length + reply.length);
    tokens.push(...replyTokens, ...(closing ? backend.tokenize(closing, { special: true }) : []));
    turns.push({ reply, replyTokens, cacheRead, evaluated: fresh.length });
  }
  return turns;
}

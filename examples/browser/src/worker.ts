// The model's Web Worker: transformers.js runs one inference at a time per worker, and a worker keeps
// the page responsive while it does. It loads the bundled demo model over HTTP, plays held-out Grocery
// episodes with SirLLM and StreamingLLM, and keeps one chat session saved in IndexedDB.
import { ChatSessions } from '@sirllm/chat';
import { createIndexedDbSessionStore } from '@sirllm/chat/browser';
import { type ChatMessage, sirllm } from '@sirllm/core';
import type { TaskEpisode } from '@sirllm/eval';
import { demoPolicies, heldOutGroceryEpisodes, renderMemoryHtml, runDemoEpisode } from '@sirllm/eval';
import { createBrowserTransformersBackend, type TransformersBackend } from '@sirllm/transformers/browser';
// onnxruntime-web's WebAssembly build (CPU and WebGPU kernels), emitted by Vite as assets of this page.
import onnxRuntimeModule from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import onnxRuntimeWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { ChatLine, Report, Request } from './protocol.ts';

const modelFolder = '/models/sirllm-grocery-demo/';
const chatSessionId = 'browser-chat';
/** Small enough that a short chat already evicts: what SirLLM keeps is what the chat remembers. */
const chatCapacity = 128;

let backend: TransformersBackend | undefined;
let episodes: TaskEpisode[] = [];
let chat: ChatSessions | undefined;
let history: ChatMessage[] = [];
let playing: AbortController | undefined;

const post = (report: Report) => self.postMessage(report);

self.onmessage = async (event: MessageEvent<Request>) => {
  const request = event.data;
  try {
    switch (request.type) {
      case 'load':
        return await load(request.device, request.threads);
      case 'play':
        return await play(request.episodes, request.capacity);
      case 'stop':
        playing?.abort();
        return;
      case 'chat':
        try {
          return await say(request.text);
        } catch (error) {
          // What the page shows is what the session holds: a failed turn leaves neither its question nor
          // a partial reply behind.
          post({ type: 'chat-restored', reason: 'rolled-back', lines: history.filter(isChatLine) });
          throw error;
        }
      case 'chat-reset':
        await chat?.forget(chatSessionId);
        history = [];
        post({ type: 'chat-restored', reason: 'reset', lines: [] });
        return;
    }
  } catch (error) {
    post({
      type: 'error',
      during: request.type,
      message: error instanceof Error ? error.message : String(error),
    });
  }
};

async function load(device: 'auto' | 'wasm' | 'webgpu', threads: number): Promise<void> {
  const started = performance.now();
  backend = await createBrowserTransformersBackend({
    model: modelFolder,
    device,
    threads,
    wasmFiles: { mjs: onnxRuntimeModule, wasm: onnxRuntimeWasm },
  });
  const milliseconds = performance.now() - started;
  try {
    const response = await fetch(`${modelFolder}data/grocery/keys.jsonl`);
    if (!response.ok) {
      throw new Error(`GET ${response.url} answered ${response.status}: the held-out episodes are missing`);
    }
    episodes = heldOutGroceryEpisodes(await response.text());
  } catch (error) {
    await backend.dispose();
    backend = undefined;
    throw error;
  }
  chat = new ChatSessions({
    backend,
    capacity: chatCapacity,
    policy: () => sirllm({ sinks: 4, decay: 1 }),
    sessionStore: createIndexedDbSessionStore(),
  });
  post({
    type: 'loaded',
    device: backend.device === 'webgpu' ? 'webgpu' : 'wasm',
    model: backend.info.name,
    fingerprint: backend.info.fingerprint,
    milliseconds,
    episodesAvailable: episodes.length,
    crossOriginIsolated: self.crossOriginIsolated,
    threads,
  });
  try {
    history = [...(await chat.history(chatSessionId))];
    post({ type: 'chat-restored', reason: 'restored', lines: history.filter(isChatLine) });
  } catch (error) {
    // A saved chat that cannot be restored (damaged, or saved by another version of the model) must not
    // lock the chat box: it is dropped, and the page says so.
    await chat.forget(chatSessionId).catch(() => undefined);
    history = [];
    post({
      type: 'chat-restored',
      reason: 'reset',
      lines: [],
      notice: `The saved chat could not be restored and was discarded (${error instanceof Error ? error.message : String(error)}).`,
    });
  }
}

async function play(count: number, capacity: number): Promise<void> {
  if (!backend) throw new Error('the model is not loaded yet');
  playing = new AbortController();
  const { signal } = playing;
  try {
    for (const episode of episodes.slice(0, count)) {
      for (const { label, policy } of demoPolicies()) {
        const started = performance.now();
        const result = await runDemoEpisode(episode, { backend, policy, capacity, signal });
        post({
          type: 'episode',
          report: {
            episode: result.episode,
            policy: label,
            recalled: result.recalled,
            answers: result.answers,
            commonsenseCorrect: result.commonsenseCorrect,
            commonsense: result.commonsense,
            memoryHtml: renderMemoryHtml(result.view),
            resident: result.view.resident,
            evicted: result.view.evicted,
            milliseconds: performance.now() - started,
          },
        });
      }
    }
    post({ type: 'played', stopped: false });
  } catch (error) {
    if (!signal.aborted) throw error;
    post({ type: 'played', stopped: true });
  } finally {
    playing = undefined;
  }
}

async function say(text: string): Promise<void> {
  if (!chat) throw new Error('the model is not loaded yet');
  const started = performance.now();
  const asked: ChatMessage[] = [...history, { role: 'user', content: text }];
  const turn = await chat.turn({
    sessionId: chatSessionId,
    history: asked,
    maxTokens: 24,
    onText: (piece) => post({ type: 'chat-text', text: piece }),
  });
  history = [...asked, { role: 'assistant', content: turn.content }];
  post({
    type: 'chat-done',
    content: turn.content,
    memory: {
      resident: turn.memory.resident,
      evicted: turn.memory.evicted,
      capacity: turn.memory.capacity,
      turns: turn.memory.turns,
      rebuilt: turn.memory.rebuilt,
      cacheReadTokens: turn.usage.cacheReadTokens,
    },
    milliseconds: performance.now() - started,
  });
  // Saved after every turn: a closed tab or a reload loses nothing. A failed save is reported as an error of
  // this chat turn; the reply stands, and the next turn's save tries again.
  await chat.save(chatSessionId);
}

function isChatLine(message: ChatMessage): message is ChatMessage & ChatLine {
  return message.role === 'user' || message.role === 'assistant';
}

// The page: renders what the model's worker reports. Everything it shows is also kept in
// `window.sirllmDemo`, which the browser test reads.
import { requestPersistentStorage } from '@sirllm/chat/browser';
import { memoryViewStyles } from '@sirllm/eval';
import type { ChatLine, ChatMemory, DeviceChoice, EpisodeReport, Report, Request } from './protocol.ts';

/** What the page has seen so far (read by `examples/browser/test`). */
export interface DemoState {
  state: 'loading' | 'ready' | 'playing' | 'error';
  loaded?: Extract<Report, { type: 'loaded' }>;
  episodes: EpisodeReport[];
  played: number;
  chat: { lines: ChatLine[]; busy: boolean; restored: boolean; memory?: ChatMemory; milliseconds?: number };
  errors: string[];
}

declare global {
  interface Window {
    sirllmDemo: DemoState;
  }
}

const demo: DemoState = {
  state: 'loading',
  episodes: [],
  played: 0,
  chat: { lines: [], busy: true, restored: false }, // busy until the worker says what the saved chat holds
  errors: [],
};
window.sirllmDemo = demo;

const parameters = new URLSearchParams(location.search);
const element = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;
const status = element<HTMLParagraphElement>('#status');
const playButton = element<HTMLButtonElement>('#play');
const stopButton = element<HTMLButtonElement>('#stop');
const episodeCount = element<HTMLInputElement>('#episode-count');
const capacity = element<HTMLInputElement>('#capacity');
const chatInput = element<HTMLInputElement>('#chat-input');
const chatSend = element<HTMLButtonElement>('#chat-send');
const chatReset = element<HTMLButtonElement>('#chat-reset');
const chatLines = element<HTMLOListElement>('#chat-lines');

const style = document.createElement('style');
style.textContent = memoryViewStyles;
document.head.append(style);
if (parameters.has('episodes')) episodeCount.value = parameters.get('episodes') as string;
if (parameters.has('capacity')) capacity.value = parameters.get('capacity') as string;

// Saved chats survive storage pressure only where the browser grants persistence (a page-only API).
void requestPersistentStorage();

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (request: Request) => worker.postMessage(request);
worker.onmessage = (event: MessageEvent<Report>) => receive(event.data);
worker.onerror = (event) => fail(`the worker failed: ${event.message}`);

send({
  type: 'load',
  device: (parameters.get('device') ?? 'auto') as DeviceChoice,
  threads: Number(parameters.get('threads') ?? 1),
});

element<HTMLFormElement>('#play-form').addEventListener('submit', (event) => {
  event.preventDefault();
  play();
});
stopButton.addEventListener('click', () => send({ type: 'stop' }));
element<HTMLFormElement>('#chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = chatInput.value.trim();
  if (text === '' || demo.chat.busy || demo.state === 'playing') return;
  chatInput.value = '';
  addChatLine({ role: 'user', content: text });
  addChatLine({ role: 'assistant', content: '' });
  demo.chat.busy = true;
  updateControls();
  send({ type: 'chat', text });
});
chatReset.addEventListener('click', () => send({ type: 'chat-reset' }));

function receive(report: Report): void {
  switch (report.type) {
    case 'loaded': {
      demo.loaded = report;
      demo.state = 'ready';
      status.dataset.state = 'ready';
      status.textContent = `${report.model} loaded in ${(report.milliseconds / 1000).toFixed(1)} s on ${report.device === 'webgpu' ? 'WebGPU' : `WebAssembly (${report.threads} thread${report.threads === 1 ? '' : 's'}${report.crossOriginIsolated ? ', cross-origin isolated' : ''})`}; ${report.episodesAvailable} held-out episodes.`;
      updateControls();
      if (parameters.get('autoplay') === '1') play();
      return;
    }
    case 'chat-restored':
      demo.chat.lines = [];
      chatLines.replaceChildren();
      for (const line of report.lines) addChatLine(line);
      if (report.reason !== 'rolled-back') {
        demo.chat.restored = report.reason === 'restored' && report.lines.length > 0;
        demo.chat.memory = undefined;
        element('#chat-memory').textContent =
          report.notice ??
          (demo.chat.restored
            ? `Restored from this browser's storage: ${report.lines.length} messages.`
            : '');
      }
      demo.chat.busy = false;
      updateControls();
      return;
    case 'episode':
      showEpisode(report.report);
      return;
    case 'played':
      demo.state = 'ready';
      demo.played += 1;
      updateControls();
      status.textContent = `${report.stopped ? 'Stopped' : 'Played'}: ${demo.episodes.filter((each) => each.policy === 'SirLLM').length} episodes.`;
      return;
    case 'chat-text': {
      const last = demo.chat.lines.at(-1);
      if (last) {
        demo.chat.lines[demo.chat.lines.length - 1] = { ...last, content: last.content + report.text };
        (chatLines.lastElementChild as HTMLElement).textContent += report.text;
      }
      return;
    }
    case 'chat-done': {
      const last = demo.chat.lines.at(-1);
      if (last) demo.chat.lines[demo.chat.lines.length - 1] = { ...last, content: report.content };
      (chatLines.lastElementChild as HTMLElement).textContent = report.content;
      demo.chat.memory = report.memory;
      demo.chat.milliseconds = report.milliseconds;
      const { resident, capacity: cells, evicted, turns } = report.memory;
      element('#chat-memory').textContent =
        `${resident} of ${cells} cells resident · ${evicted} tokens evicted · ${turns} turns · ${Math.round(report.milliseconds)} ms`;
      demo.chat.busy = false;
      updateControls();
      return;
    }
    case 'error':
      if (report.during === 'chat') demo.chat.busy = false;
      if (report.during === 'play') demo.state = 'ready';
      updateControls();
      fail(
        report.during === 'load'
          ? `Loading the model failed: ${report.message} Reload the page to try again${parameters.get('device') === 'webgpu' ? ', or open it with ?device=auto' : ''}.`
          : `${report.during} failed: ${report.message}`,
      );
      return;
  }
}

function play(): void {
  for (const side of document.querySelectorAll('.side')) {
    side.querySelector('.episode-list')?.replaceChildren();
    side.querySelector('.memory')?.replaceChildren();
    for (const counter of side.querySelectorAll('.recalled-count, .played-count')) counter.textContent = '0';
  }
  demo.episodes = [];
  demo.state = 'playing';
  updateControls();
  status.textContent = 'Playing…';
  send({ type: 'play', episodes: Number(episodeCount.value), capacity: Number(capacity.value) });
}

function showEpisode(report: EpisodeReport): void {
  demo.episodes.push(report);
  const side = document.querySelector(`.side[data-policy="${report.policy}"]`) as HTMLElement;
  const mine = demo.episodes.filter((each) => each.policy === report.policy);
  (side.querySelector('.recalled-count') as HTMLElement).textContent = String(
    mine.filter((each) => each.recalled).length,
  );
  (side.querySelector('.played-count') as HTMLElement).textContent = String(mine.length);
  const item = document.createElement('li');
  item.className = report.recalled ? 'recalled' : 'forgot';
  item.textContent = `${report.episode.replace('episode-', '#')} ${report.recalled ? '✓' : '✗'}`;
  item.title = `${report.commonsenseCorrect}/${report.commonsense} CommonsenseQA right · ${report.resident} resident, ${report.evicted} evicted · ${Math.round(report.milliseconds)} ms`;
  side.querySelector('.episode-list')?.append(item);
  // The inspector's own rendering (shared with `sirllm inspect --html`): what this memory kept.
  (side.querySelector('.memory') as HTMLElement).innerHTML = report.memoryHtml;
  status.textContent = `Playing… ${report.episode} ${report.policy} in ${Math.round(report.milliseconds)} ms`;
}

function addChatLine(line: ChatLine): void {
  demo.chat.lines.push(line);
  const item = document.createElement('li');
  item.className = line.role;
  item.textContent = line.content;
  chatLines.append(item);
}

/**
 * The controls, from the state: one thing at a time, since the worker runs one inference at a time and
 * episode timings must be the episodes' own.
 */
function updateControls(): void {
  const { busy } = demo.chat;
  playButton.disabled = busy || demo.state !== 'ready';
  stopButton.disabled = demo.state !== 'playing';
  chatInput.disabled = busy;
  chatSend.disabled = busy || demo.state === 'playing';
  chatReset.disabled = busy;
}

function fail(message: string): void {
  demo.errors.push(message);
  if (demo.state === 'loading') demo.state = 'error';
  status.dataset.state = 'error';
  status.textContent = message;
}

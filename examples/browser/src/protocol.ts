// The messages between the page (main.ts) and the model's Web Worker (worker.ts). The worker owns the
// model, the episodes and the chat session; the page only renders.

/** Where the model runs: chosen by the page from `?device=` (default `auto`). */
export type DeviceChoice = 'auto' | 'wasm' | 'webgpu';

/** Page → worker. */
export type Request =
  | { readonly type: 'load'; readonly device: DeviceChoice; readonly threads: number }
  | { readonly type: 'play'; readonly episodes: number; readonly capacity: number }
  | { readonly type: 'stop' }
  | { readonly type: 'chat'; readonly text: string }
  | { readonly type: 'chat-reset' };

/** One policy's result on one episode, with the inspector's view of what it kept. */
export interface EpisodeReport {
  readonly episode: string;
  /** `SirLLM` or `StreamingLLM`. */
  readonly policy: string;
  readonly recalled: boolean;
  /** The option chosen for every question of the episode, in order (the last one is the recall). */
  readonly answers: readonly number[];
  readonly commonsenseCorrect: number;
  readonly commonsense: number;
  /** `renderMemoryHtml` of the episode's end: kept tokens coloured by surprisal, evicted ones struck. */
  readonly memoryHtml: string;
  readonly resident: number;
  readonly evicted: number;
  /** Wall time of the episode in the worker. */
  readonly milliseconds: number;
}

/** What the chat session holds after a turn. */
export interface ChatMemory {
  readonly resident: number;
  readonly evicted: number;
  readonly capacity: number;
  readonly turns: number;
  /** True when the history did not match the session (it was evaluated again from the start). */
  readonly rebuilt: boolean;
  /** Tokens of the history the session already held: after a reload, the restored cache at work. */
  readonly cacheReadTokens: number;
}

/** One message of the chat box. */
export interface ChatLine {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/** Worker → page. */
export type Report =
  | {
      readonly type: 'loaded';
      readonly device: 'wasm' | 'webgpu';
      readonly model: string;
      readonly fingerprint: string;
      readonly milliseconds: number;
      readonly episodesAvailable: number;
      readonly crossOriginIsolated: boolean;
      readonly threads: number;
    }
  | {
      readonly type: 'chat-restored';
      /** `restored`: the saved chat, on load; `reset`: a new chat; `rolled-back`: after a failed turn. */
      readonly reason: 'restored' | 'reset' | 'rolled-back';
      readonly lines: readonly ChatLine[];
      /** Why a saved chat was discarded, when it was. */
      readonly notice?: string;
    }
  | { readonly type: 'episode'; readonly report: EpisodeReport }
  | { readonly type: 'played'; readonly stopped: boolean }
  | { readonly type: 'chat-text'; readonly text: string }
  | {
      readonly type: 'chat-done';
      readonly content: string;
      readonly memory: ChatMemory;
      readonly milliseconds: number;
    }
  | { readonly type: 'error'; readonly during: Request['type']; readonly message: string };

import type { LlamaContext, LlamaContextOptions, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';

/**
 * Cells a llama.cpp context needs beyond the largest capacity: node-llama-cpp keeps one cell free (it
 * shifts the context when fewer remain), and snapshots decode one scratch token after a full cache.
 */
export const reservedCells = 2;

/**
 * Hands out llama.cpp sequences from contexts of one model, creating a new context (with the same
 * options) when every sequence of the existing ones is taken. Calls are serialised.
 */
export class ContextPool {
  readonly #model: LlamaModel;
  readonly #options: LlamaContextOptions;
  readonly #contexts: LlamaContext[] = [];
  #queue: Promise<unknown> = Promise.resolve();

  constructor(model: LlamaModel, options: LlamaContextOptions) {
    this.#model = model;
    this.#options = options;
  }

  /** Creates the first context now (so a context that does not fit fails at load time). */
  async warm(): Promise<void> {
    await this.#serialised(async () => {
      if (this.#contexts.length === 0) this.#contexts.push(await this.#model.createContext(this.#options));
    });
  }

  /** A free sequence (its cache empty). */
  acquire(): Promise<LlamaContextSequence> {
    return this.#serialised(async () => {
      let context = this.#contexts.find((candidate) => !candidate.disposed && candidate.sequencesLeft > 0);
      if (!context) {
        context = await this.#model.createContext(this.#options);
        this.#contexts.push(context);
      }
      return context.getSequence({ contextShift: { size: 1, strategy: refuseContextShift } });
    });
  }

  async dispose(): Promise<void> {
    await this.#serialised(async () => {
      for (const context of this.#contexts.splice(0)) await context.dispose();
    });
  }

  #serialised<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(task, task);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

/**
 * node-llama-cpp's automatic context shift would erase tokens behind SirLLM's back. The pool sizes
 * contexts so it never triggers; if it ever did, this makes it an error instead of silent corruption.
 */
function refuseContextShift(): never {
  throw new Error('node-llama-cpp tried to shift the context; @sirllm/llamacpp evicts with retain() instead');
}

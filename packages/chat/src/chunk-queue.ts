/** A one-consumer async queue: a producer pushes, fails or closes; `for await` drains it. */
export class ChunkQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  #wake: (() => void) | undefined;
  #closed = false;
  #error: { error: unknown } | undefined;

  /** Queues `item` for the consumer. */
  push(item: T): void {
    this.#items.push(item);
    this.#signal();
  }

  /** Ends the iteration once the queued items are drained. */
  close(): void {
    this.#closed = true;
    this.#signal();
  }

  /** Makes the iteration throw `error` once the queued items are drained. */
  fail(error: unknown): void {
    this.#error = { error };
    this.#signal();
  }

  /** Yields the items in order, waiting for more until the queue is closed or failed. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      const item = this.#items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.#error) throw this.#error.error;
      if (this.#closed) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/** The end of the chain of model loads in this page, worker or process. */
let tail: Promise<unknown> = Promise.resolve();

/**
 * Runs `load` after every load started before it has settled. transformers.js reads where to find models
 * from its global `env`, which a load sets and restores around `from_pretrained`; two loads at once would
 * restore each other's settings (and leave hub downloads switched off, or on, for good).
 */
export function queueModelLoad<T>(load: () => Promise<T>): Promise<T> {
  const result = tail.then(load, load);
  tail = result.catch(() => undefined);
  return result;
}

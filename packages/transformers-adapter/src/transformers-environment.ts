/** The settings of transformers.js' global `env` that say where a load may find model files. */
export interface ModelLocationSettings {
  localModelPath?: string;
  allowLocalModels?: boolean;
  allowRemoteModels?: boolean;
  useBrowserCache?: boolean;
}

/** The end of the chain of model loads in this page, worker or process. */
let tail: Promise<unknown> = Promise.resolve();

/**
 * Runs `load` with `settings` applied to transformers.js' `env` and restores the previous values after it,
 * however it ends. `env` is global, so loads take turns: each runs after every load started before it has
 * settled — two at once would restore each other's settings (and leave hub downloads switched off, or on,
 * for good).
 */
export function loadWithEnvironment<T>(
  environment: ModelLocationSettings,
  settings: ModelLocationSettings,
  load: () => Promise<T>,
): Promise<T> {
  const run = async () => {
    const keys = Object.keys(settings) as (keyof ModelLocationSettings)[];
    const saved = Object.fromEntries(keys.map((key) => [key, environment[key]]));
    Object.assign(environment, settings);
    try {
      return await load();
    } finally {
      Object.assign(environment, saved);
    }
  };
  const result = tail.then(run, run);
  tail = result.catch(() => undefined);
  return result;
}

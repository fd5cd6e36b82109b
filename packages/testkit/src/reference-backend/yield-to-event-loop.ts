/** Lets timers and other tasks run (so an `AbortSignal` can fire during a long computation). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

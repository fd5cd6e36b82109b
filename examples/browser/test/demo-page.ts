import { type Browser, chromium, type Page } from 'playwright-core';
import { chromiumArguments, chromiumExecutable } from '../../../scripts/browser/chromium.ts';
import type { DemoState } from '../src/main.ts';

/** Debian's Chromium (or `$SIRLLM_CHROMIUM`), headless, with the flags of the browser tests. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArguments(), headless: true });
}

/** What the page has seen so far (`window.sirllmDemo`). */
export function demoState(page: Page): Promise<DemoState> {
  return page.evaluate(() => window.sirllmDemo as DemoState);
}

/**
 * Opens the demo page at `url` on WebAssembly, lets it play `episodes` held-out episodes at `capacity` cells,
 * and returns its state once they are played or something failed (the caller checks `errors`).
 */
export async function playEpisodes(
  page: Page,
  url: string,
  { episodes, capacity, timeout }: { episodes: number; capacity: number; timeout: number },
): Promise<DemoState> {
  await page.goto(`${url}?device=wasm&episodes=${episodes}&capacity=${capacity}&autoplay=1`);
  await page.waitForFunction(
    () => window.sirllmDemo?.played > 0 || window.sirllmDemo?.errors.length > 0,
    undefined,
    { timeout },
  );
  return demoState(page);
}

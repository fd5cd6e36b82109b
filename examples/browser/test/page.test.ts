import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TransformersBackend } from '@sirllm/transformers';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoState, launchChromium, playEpisodes } from './demo-page.ts';
import { chatOnNode, loadNodeBackend, type NodeEpisode, playOnNode } from './node-reference.ts';
import { servePage } from './page-server.ts';

// The page as a person opens it: built by Vite, served on 127.0.0.1, run by Debian's Chromium (headless,
// offline), the model in a Web Worker on WebAssembly. Its answers must be the Node run's: the same model,
// episodes, budget and policies on @sirllm/transformers in this process.

const episodes = 3;
const capacity = 512;
const artifacts = process.env.SIRLLM_ARTIFACTS ?? join(import.meta.dirname, '../../../artifacts/browser');
const said = [
  'I want you to buy the GROCERY: [honey].',
  ...['milk', 'paper', 'a book', 'rain', 'a pilot', 'shoes'].map(
    (thing) =>
      `Where would you find ${thing}? Choices:  (A) kitchen (B) library (C) sky (D) airplane (E) shop`,
  ),
  'Which one is the GROCERY that I want you to buy earlier? Choices:  (A) jelly (B) honey (C) shrimp (D) rice',
];

let page: Page;
let browser: Browser;
let server: Awaited<ReturnType<typeof servePage>>;
let backend: TransformersBackend;
let onNode: NodeEpisode[];

const state = () => demoState(page);

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await servePage();
  backend = await loadNodeBackend();
  onNode = await playOnNode(backend, episodes, capacity);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => console.error('page error:', error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await backend?.dispose();
});

describe('the browser demo page', () => {
  it('plays three held-out episodes with the answers of the Node run, and shows what each memory kept', async () => {
    const played = await playEpisodes(page, server.url, { episodes, capacity, timeout: 480_000 });
    expect(played.errors).toEqual([]);
    expect(played.loaded?.device).toBe('wasm');
    expect(played.loaded?.fingerprint).toBe(backend.info.fingerprint); // same folder, same fingerprint
    const inPage = played.episodes.map(({ episode, policy, recalled, answers }) => ({
      episode,
      policy,
      recalled,
      answers,
    }));
    expect(inPage).toEqual(
      onNode.map(({ episode, policy, recalled, answers }) => ({ episode, policy, recalled, answers })),
    );

    // The live counters and the inspector's rendering, for each side.
    for (const policy of ['SirLLM', 'StreamingLLM']) {
      const side = page.locator(`.side[data-policy="${policy}"]`);
      const recalled = played.episodes.filter((each) => each.policy === policy && each.recalled).length;
      expect(await side.locator('.recalled-count').textContent()).toBe(String(recalled));
      expect(await side.locator('.played-count').textContent()).toBe(String(episodes));
      const last = played.episodes.filter((each) => each.policy === policy).at(-1);
      expect(await side.locator('.memory .turn .token.kept').count()).toBe(last?.resident);
      expect(await side.locator('.memory .turn .token.evicted').count()).toBe(last?.evicted);
    }
    const table = played.episodes.map((each, index) => ({
      episode: each.episode,
      policy: each.policy,
      recalled: each.recalled,
      pageMs: Math.round(each.milliseconds),
      nodeMs: Math.round(onNode[index]?.milliseconds ?? Number.NaN),
    }));
    console.log(
      `episode time, page (WASM, 1 thread) vs Node (onnxruntime-node, 1 thread):\n${JSON.stringify(table, null, 1)}`,
    );
  });

  it('chats like Node, remembers the grocery, and continues the saved session after a reload', async () => {
    await page.click('#chat-reset');
    await page.waitForFunction(
      () => !window.sirllmDemo.chat.busy && window.sirllmDemo.chat.lines.length === 0,
    );
    const expected = await chatOnNode(backend, said);
    const replies: string[] = [];
    for (const text of said) {
      await page.fill('#chat-input', text);
      await page.click('#chat-send');
      await page.waitForFunction(() => !window.sirllmDemo.chat.busy, undefined, { timeout: 120_000 });
      const after = await state();
      expect(after.errors).toEqual([]);
      replies.push(after.chat.lines.at(-1)?.content ?? '');
    }
    expect(replies).toEqual(expected);
    expect(replies.at(-1)).toContain('honey');
    const before = await state();
    expect(before.chat.memory?.evicted).toBeGreaterThan(0); // the chat outgrew its 128 cells
    await page.screenshot({ path: join(artifacts, 'demo-page.png'), fullPage: true });

    await page.reload();
    await page.waitForFunction(
      () => window.sirllmDemo?.state === 'ready' && window.sirllmDemo.chat.restored,
      undefined,
      {
        timeout: 120_000,
      },
    );
    const restored = await state();
    expect(restored.chat.lines).toEqual(before.chat.lines);
    await page.fill('#chat-input', said.at(-1) as string);
    await page.click('#chat-send');
    await page.waitForFunction(() => !window.sirllmDemo.chat.busy, undefined, { timeout: 120_000 });
    const again = await state();
    expect(again.errors).toEqual([]);
    expect(again.chat.memory?.rebuilt).toBe(false); // the saved cache, not a re-evaluation of the history
    expect(again.chat.memory?.cacheReadTokens).toBeGreaterThan(0);
    expect(again.chat.memory?.turns).toBe(said.length + 1);
    expect(again.chat.lines.at(-1)?.content).toContain('honey');
    await page.screenshot({ path: join(artifacts, 'demo-page-after-reload.png'), fullPage: true });
  });

  it('a saved chat that cannot be restored is discarded with a notice, and the chat goes on', async () => {
    // Damage the saved session the way a torn or foreign value would look: its manifest no longer matches.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const opened = indexedDB.open('sirllm-sessions');
          opened.onerror = () => reject(opened.error);
          opened.onsuccess = () => {
            const database = opened.result;
            const transaction = database.transaction('manifests', 'readwrite');
            transaction.objectStore('manifests').put({ chunks: 1, length: 7 }, 'browser-chat');
            transaction.oncomplete = () => {
              database.close();
              resolve();
            };
            transaction.onerror = () => reject(transaction.error);
          };
        }),
    );
    await page.reload();
    await page.waitForFunction(
      () => window.sirllmDemo?.state === 'ready' && !window.sirllmDemo.chat.busy,
      undefined,
      {
        timeout: 120_000,
      },
    );
    const discarded = await state();
    expect(discarded.errors).toEqual([]);
    expect(discarded.chat.lines).toEqual([]);
    expect(discarded.chat.restored).toBe(false);
    expect(await page.locator('#chat-memory').textContent()).toMatch(
      /could not be restored and was discarded/u,
    );
    await page.fill('#chat-input', said[0] as string);
    await page.click('#chat-send');
    await page.waitForFunction(() => !window.sirllmDemo.chat.busy, undefined, { timeout: 120_000 });
    const after = await state();
    expect(after.errors).toEqual([]);
    expect(after.chat.lines.at(-1)?.content).toBe('OK');
    expect(after.chat.memory?.turns).toBe(1);
  });
});

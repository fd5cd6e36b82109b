import { MemorySession, streamingLLM } from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { heatOf, type MemoryView, memoryView, visibleText } from '../src/inspect/memory-view.js';
import { memoryViewStyles, renderMemoryHtml } from '../src/inspect/render-html.js';
import { renderMemoryPage } from '../src/inspect/render-memory-page.js';
import { renderMemorySvg } from '../src/inspect/render-svg.js';
import { handBuiltBackend } from './hand-built-backend.js';

const view: MemoryView = {
  model: 'hand-made',
  policy: 'sirllm',
  capacity: 4,
  resident: 2,
  evicted: 2,
  tokens: [
    {
      text: 'my',
      position: 0,
      role: 'user',
      resident: true,
      surprisal: Number.POSITIVE_INFINITY,
      score: Number.POSITIVE_INFINITY,
    },
    { text: ' cat', position: 1, role: 'user', resident: false, surprisal: 1 },
    { text: ' Mochi', position: 2, role: 'user', resident: true, surprisal: 9, score: 4.5 },
    { text: ' <ok>', position: 3, role: 'assistant', resident: false, surprisal: 2 },
  ],
};

describe('memoryView', () => {
  it('marks every transcript token resident or evicted, with its surprisal and, if kept, its score', async () => {
    const backend = handBuiltBackend();
    const session = await MemorySession.create({ backend, capacity: 8, policy: streamingLLM({ sinks: 2 }) });
    const text = 'abcdefghijklmnopqrst';
    const fed = await session.ingest(text, { role: 'user' });
    // One value short: the last token's surprisal is unknown to the view.
    const result = memoryView(session, [...fed.surprisal].slice(0, -1));
    expect(result).toMatchObject({ model: 'hand-built', policy: 'streaming-llm', capacity: 8 });
    expect(result.tokens.map((token) => token.text).join('')).toBe(text);
    expect(result.tokens.map((token) => token.position)).toEqual([...text].map((_, index) => index));
    expect(result.resident + result.evicted).toBe(text.length);
    expect(result.resident).toBeLessThanOrEqual(8);
    expect(result.evicted).toBeGreaterThan(0);
    // StreamingLLM keeps the two sinks and the newest tokens.
    const kept = result.tokens.filter((token) => token.resident).map((token) => token.text);
    expect(kept).toEqual([...'ab', ...text.slice(text.length - (result.resident - 2))]);
    for (const token of result.tokens) {
      expect(token.role).toBe('user');
      expect(token.score === undefined).toBe(!token.resident);
    }
    expect(result.tokens[3]?.surprisal).toBe(fed.surprisal[3]);
    expect(result.tokens.at(-1)?.surprisal).toBeNaN();
    await session.dispose();
  });

  it('heat is relative to the largest finite surprisal, ∞ the hottest; text shows control characters', () => {
    const heat = heatOf(view);
    expect([heat(9), heat(1), heat(Number.POSITIVE_INFINITY), heat(-1)]).toEqual([1, 1 / 9, 1, 0]);
    expect(visibleText('a\nb\tc\u0001\u0085d')).toBe('a⏎b→c��d');
  });
});

describe('the memory view as HTML', () => {
  it('the fragment marks kept and evicted tokens apart, with their scores on hover, and holds no page', () => {
    const html = renderMemoryHtml(view);
    expect(html.startsWith('<div class="sirllm-memory">\n')).toBe(true);
    expect(html.endsWith('</div>\n')).toBe(true);
    expect(html).not.toMatch(/<html|<!doctype|<head|<body|<style|<script|<link|src=/i);
    expect(html).toMatch(
      /<span class="token kept" style="background:hsl\(0,100%,50%\)" title="#2 user · surprisal 9.00 nats · score 4.50"> Mochi<\/span>/,
    );
    expect(html).toContain(
      '<span class="token kept" style="background:hsl(0,100%,50%)" title="#0 user · surprisal ∞ nats · score ∞">my</span>',
    );
    expect(html).toMatch(
      /<span class="token evicted" title="#1 user · surprisal 1.00 nats · evicted"> cat<\/span>/,
    );
    expect(html).toContain('<p class="turn user"><b class="role">user</b> ');
    expect(html).toContain('</p>\n<p class="turn assistant"><b class="role">assistant</b> ');
    expect(html).toContain('&lt;ok&gt;</span>');
    expect(html).toContain('2 of 4 cells resident · 2 tokens evicted');
    expect(html.match(/class="token kept"/g)).toHaveLength(2 + 2); // two tokens, two legend samples
    expect(html.match(/class="token evicted"/g)).toHaveLength(2 + 1);
  });

  it('the styles are scoped under .sirllm-memory', () => {
    const rules = memoryViewStyles.split('\n').filter((line) => line.trim() !== '');
    expect(rules.length).toBeGreaterThanOrEqual(5);
    for (const rule of rules) expect(rule).toMatch(/^\.sirllm-memory[ .{][^{]*\{[^}]+\}$/);
    expect(memoryViewStyles).toContain(
      '.sirllm-memory .token.evicted { color: #aaa; text-decoration: line-through; }',
    );
  });

  it('the page is the fragment and its styles in a standalone document', () => {
    const page = renderMemoryPage(view);
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
    expect(page).not.toMatch(/<script|<link|src=/);
    expect(page).toContain('<title>sirllm inspect — sirllm</title>');
    const style = /<style>\n([\s\S]*)<\/style>/.exec(page)?.[1] ?? '';
    expect(style).toContain(memoryViewStyles);
    const body = /<body>\n([\s\S]*)<\/body>/.exec(page)?.[1] ?? '';
    expect(body).toBe(`<h1>What the memory kept</h1>\n${renderMemoryHtml(view)}`);
  });
});

describe('the memory view as an image', () => {
  it('renders a standalone SVG: kept on colour, evicted grey and struck through', () => {
    const svg = renderMemorySvg(view);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toMatch(
      /<rect x="[\d.]+" y="\d+" width="[\d.]+" height="18" fill="hsl\(0,100%,50%\)"\/>\n<text [^>]+> Mochi<\/text>/,
    );
    expect(svg).toMatch(/<text [^>]+fill="#aaa"[^>]*> cat<\/text>\n<line /);
    expect(svg).toContain('&lt;ok&gt;');
    expect(svg).toContain('What the memory kept — sirllm, 2/4 resident, 2 evicted');
  });
});

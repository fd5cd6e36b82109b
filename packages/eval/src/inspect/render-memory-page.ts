import { escapeMarkup } from '../report/escape-markup.js';
import type { MemoryView } from './memory-view.js';
import { memoryViewStyles, renderMemoryHtml } from './render-html.js';

/**
 * A standalone HTML page (no scripts, no external files) of the conversation: a heading, then
 * {@link renderMemoryHtml}'s fragment styled by {@link memoryViewStyles} — what `sirllm inspect --html`
 * writes.
 */
export function renderMemoryPage(view: MemoryView): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sirllm inspect — ${escapeMarkup(view.policy)}</title>
<style>
body { font-family: ui-monospace, Menlo, Consolas, monospace; margin: 2rem; max-width: 60rem; line-height: 1.7; }
${memoryViewStyles}</style>
</head>
<body>
<h1>What the memory kept</h1>
${renderMemoryHtml(view)}</body>
</html>
`;
}

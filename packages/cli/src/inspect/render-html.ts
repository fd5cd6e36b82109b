import { heatOf, type MemoryView, visibleText } from './memory-view.js';

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * A standalone HTML page (no scripts, no external files) of the conversation: each token is a
 * `<span class="token kept">` with a background from pale yellow to red by its surprisal, or a
 * `<span class="token evicted">` (grey, struck through). Hovering a token shows its position, role,
 * surprisal and, if kept, its decayed score.
 */
export function renderHtml(view: MemoryView): string {
  const heat = heatOf(view);
  const spans: string[] = [];
  let previousRole = '';
  for (const token of view.tokens) {
    if (token.role !== previousRole) {
      spans.push(
        `${previousRole === '' ? '' : '</p>\n'}<p class="turn ${token.role}"><b class="role">${token.role}</b> `,
      );
      previousRole = token.role;
    }
    const surprisal = Number.isFinite(token.surprisal) ? token.surprisal.toFixed(2) : '∞';
    const title = `#${token.position} ${token.role} · surprisal ${surprisal} nats${token.score === undefined ? ' · evicted' : ` · score ${Number.isFinite(token.score) ? token.score.toFixed(2) : '∞'}`}`;
    const text = escapeHtml(visibleText(token.text)).replaceAll('⏎', '⏎<br>');
    if (token.resident) {
      const lightness = Math.round(92 - 42 * heat(token.surprisal));
      spans.push(
        `<span class="token kept" style="background:hsl(${Math.round(55 - 55 * heat(token.surprisal))},100%,${lightness}%)" title="${escapeHtml(title)}">${text}</span>`,
      );
    } else {
      spans.push(`<span class="token evicted" title="${escapeHtml(title)}">${text}</span>`);
    }
  }
  if (previousRole !== '') spans.push('</p>');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>sirllm inspect — ${escapeHtml(view.policy)}</title>
<style>
body { font-family: ui-monospace, Menlo, Consolas, monospace; margin: 2rem; max-width: 60rem; line-height: 1.7; }
.turn { white-space: pre-wrap; margin: 0.6rem 0; }
.role { font-family: system-ui, sans-serif; font-size: 0.8rem; color: #555; margin-right: 0.4rem; }
.token { border-radius: 2px; }
.token.kept { color: #111; }
.token.evicted { color: #aaa; text-decoration: line-through; }
.legend span { padding: 0 0.4rem; margin-right: 0.6rem; }
</style>
</head>
<body>
<h1>What the memory kept</h1>
<p>${escapeHtml(view.model)} · policy <b>${escapeHtml(view.policy)}</b> · ${view.resident} of ${view.capacity} cells resident · ${view.evicted} tokens evicted</p>
<p class="legend"><span class="token kept" style="background:hsl(55,100%,92%)">kept, expected</span><span class="token kept" style="background:hsl(0,100%,50%)">kept, surprising</span><span class="token evicted">evicted</span></p>
${spans.join('')}
</body>
</html>
`;
}

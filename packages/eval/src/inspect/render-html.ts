import { escapeMarkup } from '../report/escape-markup.js';
import { heatOf, type MemoryView, visibleText } from './memory-view.js';

/**
 * The CSS of {@link renderMemoryHtml}'s fragment, every rule scoped under `.sirllm-memory`, for a page
 * that shows the fragment (put it in a `<style>` element once, however many views the page shows).
 */
export const memoryViewStyles = `.sirllm-memory { font-family: ui-monospace, Menlo, Consolas, monospace; line-height: 1.7; }
.sirllm-memory .turn { white-space: pre-wrap; margin: 0.6rem 0; }
.sirllm-memory .role { font-family: system-ui, sans-serif; font-size: 0.8rem; color: #555; margin-right: 0.4rem; }
.sirllm-memory .token { border-radius: 2px; }
.sirllm-memory .token.kept { color: #111; }
.sirllm-memory .token.evicted { color: #aaa; text-decoration: line-through; }
.sirllm-memory .legend span { padding: 0 0.4rem; margin-right: 0.6rem; }
`;

/**
 * The conversation as an HTML fragment (no scripts, no external files, no styles: see
 * {@link memoryViewStyles}): a `<div class="sirllm-memory">` holding a summary line, a legend and one
 * paragraph per turn, in which each token is a `<span class="token kept">` with a background from pale
 * yellow to red by its surprisal, or a `<span class="token evicted">` (grey, struck through). Hovering a
 * token shows its position, role, surprisal and, if kept, its decayed score.
 */
export function renderMemoryHtml(view: MemoryView): string {
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
    const text = escapeMarkup(visibleText(token.text)).replaceAll('⏎', '⏎<br>');
    if (token.resident) {
      const lightness = Math.round(92 - 42 * heat(token.surprisal));
      spans.push(
        `<span class="token kept" style="background:hsl(${Math.round(55 - 55 * heat(token.surprisal))},100%,${lightness}%)" title="${escapeMarkup(title)}">${text}</span>`,
      );
    } else {
      spans.push(`<span class="token evicted" title="${escapeMarkup(title)}">${text}</span>`);
    }
  }
  if (previousRole !== '') spans.push('</p>');
  return `<div class="sirllm-memory">
<p class="summary">${escapeMarkup(view.model)} · policy <b>${escapeMarkup(view.policy)}</b> · ${view.resident} of ${view.capacity} cells resident · ${view.evicted} tokens evicted</p>
<p class="legend"><span class="token kept" style="background:hsl(55,100%,92%)">kept, expected</span><span class="token kept" style="background:hsl(0,100%,50%)">kept, surprising</span><span class="token evicted">evicted</span></p>
${spans.join('')}
</div>
`;
}

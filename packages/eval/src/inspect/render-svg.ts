import { escapeMarkup } from '../report/escape-markup.js';
import { heatOf, type MemoryView, visibleText } from './memory-view.js';

/**
 * The conversation as a standalone SVG image (monospace, wrapped at `columns` characters): kept tokens
 * on a background from pale yellow to red by surprisal, evicted tokens grey and struck through — the
 * same view as {@link renderMemoryHtml}, for places that show images (and for rasterizing).
 */
export function renderMemorySvg(view: MemoryView, { columns = 88 } = {}): string {
  const heat = heatOf(view);
  const characterWidth = 7.8;
  const lineHeight = 20;
  const left = 16;
  const top = 64;
  const parts: string[] = [];
  let line = 0;
  let column = 0;
  let previousRole = '';
  const newLine = () => {
    line++;
    column = 0;
  };
  for (const token of view.tokens) {
    if (token.role !== previousRole) {
      if (previousRole !== '') newLine();
      const label = `${token.role}>`;
      parts.push(
        `<text x="${left}" y="${top + line * lineHeight}" fill="#666" font-family="DejaVu Sans, sans-serif" font-size="11">${label}</text>`,
      );
      column = 11;
      previousRole = token.role;
    }
    const text = visibleText(token.text);
    if (column + text.length > columns && column > 11) {
      newLine();
      column = 11;
    }
    const x = left + column * characterWidth;
    const y = top + line * lineHeight;
    const width = text.length * characterWidth;
    if (token.resident) {
      const value = heat(token.surprisal);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y - 14}" width="${width.toFixed(1)}" height="18" fill="hsl(${Math.round(55 - 55 * value)},100%,${Math.round(92 - 42 * value)}%)"/>`,
        `<text x="${x.toFixed(1)}" y="${y}" fill="#111" xml:space="preserve">${escapeMarkup(text)}</text>`,
      );
    } else {
      parts.push(
        `<text x="${x.toFixed(1)}" y="${y}" fill="#aaa" xml:space="preserve">${escapeMarkup(text)}</text>`,
        `<line x1="${x.toFixed(1)}" y1="${y - 4}" x2="${(x + width).toFixed(1)}" y2="${y - 4}" stroke="#aaa"/>`,
      );
    }
    column += text.length;
  }
  const width = Math.ceil(left * 2 + columns * characterWidth);
  const height = top + (line + 1) * lineHeight + 16;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="13">
<rect width="${width}" height="${height}" fill="#fff"/>
<text x="${left}" y="24" font-family="DejaVu Sans, sans-serif" font-size="15" font-weight="bold">What the memory kept — ${escapeMarkup(view.policy)}, ${view.resident}/${view.capacity} resident, ${view.evicted} evicted</text>
<text x="${left}" y="44" font-family="DejaVu Sans, sans-serif" font-size="11" fill="#555">${escapeMarkup(view.model)} · yellow = expected, red = surprising, struck through = evicted</text>
${parts.join('\n')}
</svg>
`;
}

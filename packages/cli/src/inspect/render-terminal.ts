import { heatOf, type MemoryView, visibleText } from '@sirllm/eval';

const reset = '\x1b[0m';
/** Background colours from pale yellow (unsurprising) to red (surprising), xterm-256. */
const heatColours = [230, 229, 228, 221, 214, 208, 202, 196];

/**
 * The conversation for a terminal: resident tokens on a background coloured by their surprisal
 * (yellow = expected, red = surprising), evicted tokens dim and struck through. Without colour,
 * evicted characters are replaced by `·` so the kept text still stands out.
 */
export function renderTerminal(view: MemoryView, { color = true }: { color?: boolean } = {}): string {
  const heat = heatOf(view);
  let body = '';
  let previousRole = '';
  for (const token of view.tokens) {
    if (token.role !== previousRole) {
      body += `${body === '' ? '' : '\n'}${token.role}> `;
      previousRole = token.role;
    }
    const text = visibleText(token.text);
    if (!color) {
      body += token.resident ? text : '·'.repeat(text.length);
      continue;
    }
    if (token.resident) {
      const colour =
        heatColours[Math.min(heatColours.length - 1, Math.floor(heat(token.surprisal) * heatColours.length))];
      body += `\x1b[48;5;${colour}m\x1b[38;5;16m${text}${reset}`;
    } else {
      body += `\x1b[2;9;37m${text}${reset}`;
    }
  }
  const header = `${view.model} · policy ${view.policy} · ${view.resident}/${view.capacity} resident · ${view.evicted} evicted`;
  const legend = color
    ? `legend: \x1b[48;5;230m\x1b[38;5;16m kept, expected ${reset} \x1b[48;5;196m\x1b[38;5;16m kept, surprising ${reset} \x1b[2;9;37mevicted${reset}`
    : 'legend: kept text as is, evicted characters as ·';
  return `${header}\n${legend}\n\n${body}\n`;
}

import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type FamilySupport,
  familySupport,
  type ModelFamily,
  modelFamilies,
  type SupportBackend,
  type SupportWeights,
} from '@sirllm/testkit';
import { describe, expect, it } from 'vitest';

// docs/models.md shows family × backend × weight type. Its table is rendered from the testkit's
// `familySupport`, the matrix the backends' family tests assert cell by cell (works: scores equal the
// reference and the conformance suite passes; refused: the typed error with the cell's reason). This test
// keeps the page equal to the matrix; `SIRLLM_WRITE_DOCS=1` rewrites the table in place.

const path = fileURLToPath(new URL('../../../docs/models.md', import.meta.url));
const start =
  '<!-- family-matrix:start (generated from familySupport; see packages/cli/test/models-doc.test.ts) -->';
const end = '<!-- family-matrix:end -->';

const columns: readonly { backend: SupportBackend; weights: SupportWeights; title: string }[] = [
  { backend: 'llamacpp', weights: 'f32', title: 'llama.cpp F32' },
  { backend: 'llamacpp', weights: 'f16', title: 'llama.cpp F16' },
  { backend: 'llamacpp', weights: 'q8_0', title: 'llama.cpp Q8_0' },
  { backend: 'llamacpp', weights: 'q4_0', title: 'llama.cpp Q4_0' },
  { backend: 'transformers', weights: 'fp32', title: 'transformers.js fp32' },
  { backend: 'transformers', weights: 'fp16', title: 'transformers.js fp16' },
];

const familyTitles: Record<ModelFamily, string> = {
  llama: 'Llama (testkit)',
  llama3: 'Llama 3.x',
  smollm2: 'SmolLM2',
  mistral: 'Mistral 7B v0.3',
  qwen2: 'Qwen 2 / 2.5',
  qwen3: 'Qwen 3',
  phi3: 'Phi-3 / 3.5-mini',
  gemma3: 'Gemma 3',
};

/** The generated part of docs/models.md: the table, then one note per distinct refusal. */
function renderFamilyMatrix(cells: readonly FamilySupport[]): string {
  const refusals: string[] = [];
  const cellText = (cell: FamilySupport | undefined): string => {
    if (cell === undefined) return 'not tested';
    if (cell.result === 'works') return 'works';
    const note = `${cell.reason} — ${cell.workaround}`;
    if (!refusals.includes(note)) refusals.push(note);
    return `refused (${refusals.indexOf(note) + 1})`;
  };
  const header = ['family', ...columns.map((column) => column.title)];
  const rows = modelFamilies.map((family) => [
    familyTitles[family],
    ...columns.map((column) =>
      cellText(
        cells.find(
          (cell) =>
            cell.family === family && cell.backend === column.backend && cell.weights === column.weights,
        ),
      ),
    ),
  ]);
  // Padded as Biome formats Markdown tables, so `pnpm lint` and this test agree on the page.
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => (row[index] as string).length)),
  );
  const line = (cellsOfRow: readonly string[]) =>
    `| ${cellsOfRow.map((text, index) => text.padEnd(widths[index] as number)).join(' | ')} |`;
  const lines = [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
  return [lines.join('\n'), ...refusals.map((note, index) => `(${index + 1}) ${note}.`)].join('\n\n');
}

describe('docs/models.md', () => {
  it('shows exactly the family matrix the backend tests assert', () => {
    const page = readFileSync(path, 'utf8');
    const from = page.indexOf(start);
    const to = page.indexOf(end);
    expect(from, `docs/models.md needs the marker ${start}`).toBeGreaterThanOrEqual(0);
    expect(to).toBeGreaterThan(from);
    const generated = `${start}\n\n${renderFamilyMatrix(familySupport)}\n\n${end}`;
    const current = page.slice(from, to + end.length);
    if (current !== generated && process.env.SIRLLM_WRITE_DOCS === '1') {
      writeFileSync(path, page.slice(0, from) + generated + page.slice(to + end.length));
      return;
    }
    expect(current, 'run SIRLLM_WRITE_DOCS=1 npx vitest run packages/cli/test/models-doc.test.ts').toBe(
      generated,
    );
  });

  it('has a cell for every family on every backend the page has columns for', () => {
    for (const family of modelFamilies) {
      for (const backend of ['llamacpp', 'transformers'] as const) {
        expect(
          familySupport.some((cell) => cell.family === family && cell.backend === backend),
          `${family} on ${backend}`,
        ).toBe(true);
      }
    }
  });
});

/**
 * Median of the wall times (ms) of `repeats` runs of `run`, after unmeasured warm-up runs (at least
 * `warmup` of them and at least `warmupMilliseconds` long, so the JIT has optimised the code).
 */
export function medianMilliseconds(
  run: () => void,
  { repeats = 15, warmup = 3, warmupMilliseconds = 100 } = {},
): number {
  const warmupStart = performance.now();
  for (let i = 0; i < warmup || performance.now() - warmupStart < warmupMilliseconds; i++) run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** Renders rows as a GitHub-flavoured markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The line under a quick benchmark's heading: what it cut, and where the published figures come from. */
export function quickNote(cut: string): string {
  return `_Quick run (\`--quick\`): ${cut}; rougher figures. \`sirllm bench\` without \`--quick\` gives those in docs/performance.md._`;
}

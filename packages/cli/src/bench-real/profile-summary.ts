/** The parts of a V8 CPU profile (`Profiler.stop`) the summary reads. */
export interface CpuProfileLike {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/**
 * The functions with the most self time in `profile`, as `[name (file:line), milliseconds, share]`
 * rows: where the JavaScript side of a run spends its time (`(program)` and `(idle)` are time outside
 * JavaScript, e.g. inside llama.cpp).
 */
export function topSelfTimes(profile: CpuProfileLike, count = 12): string[][] {
  const nameOf = new Map<number, string>();
  for (const { id, callFrame } of profile.nodes) {
    const file = callFrame.url.slice(callFrame.url.lastIndexOf('/') + 1);
    nameOf.set(
      id,
      file === ''
        ? callFrame.functionName || '(anonymous)'
        : `${callFrame.functionName || '(anonymous)'} (${file}:${callFrame.lineNumber + 1})`,
    );
  }
  const selfMicroseconds = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const name = nameOf.get(samples[i] as number) ?? '(unknown)';
    const delta = deltas[i] ?? 0;
    total += delta;
    selfMicroseconds.set(name, (selfMicroseconds.get(name) ?? 0) + delta);
  }
  return [...selfMicroseconds.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, microseconds]) => [
      name.replaceAll('|', '\\|'),
      `${(microseconds / 1000).toFixed(1)} ms`,
      `${((100 * microseconds) / Math.max(total, 1)).toFixed(1)} %`,
    ]);
}

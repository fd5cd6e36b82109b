import type { MemorySession } from '@sirllm/core';

/** The stream positions resident now. */
export function residentPositions(session: MemorySession): Set<number> {
  const positions = new Set<number>();
  for (let index = 0; index < session.ledger.length; index++)
    positions.add(session.ledger.streamPositions[index] as number);
  return positions;
}

/**
 * What was resident in `before` and is gone now, as text: each contiguous run of dropped tokens
 * decoded, runs joined by ` … `, cut to `maximumLength` characters; `undefined` when nothing was dropped.
 */
export function describeDropped(
  session: MemorySession,
  before: ReadonlySet<number>,
  maximumLength = 120,
): string | undefined {
  const now = residentPositions(session);
  const dropped = [...before].filter((position) => !now.has(position)).sort((a, b) => a - b);
  if (dropped.length === 0) return undefined;
  const runs: number[][] = [];
  for (const position of dropped) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === position - 1) last.push(position);
    else runs.push([position]);
  }
  const text = runs
    .map((run) =>
      session.backend.detokenize(
        session.transcript.tokens(run[0] as number, (run[run.length - 1] as number) + 1),
      ),
    )
    .join(' … ')
    .replaceAll('\n', '⏎');
  const shown = text.length > maximumLength ? `${text.slice(0, maximumLength - 1)}…` : text;
  return `${dropped.length} tokens: ${JSON.stringify(shown)}`;
}

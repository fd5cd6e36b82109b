/** A rate as a percentage with two decimals, as in the paper's tables; `—` when there is none. */
export function formatPercent(rate: number | undefined): string {
  return rate === undefined || Number.isNaN(rate) ? '—' : (rate * 100).toFixed(2);
}

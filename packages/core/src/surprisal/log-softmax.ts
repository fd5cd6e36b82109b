/** Numbers a logits row may come in. */
export type LogitsRow = ArrayLike<number>;

/**
 * ln Σ exp(row[i]), computed stably by shifting by the maximum. Entries of −∞ contribute nothing;
 * a row of only −∞ gives −∞. NaN anywhere gives NaN.
 */
export function logSumExp(row: LogitsRow): number {
  const maximum = maximumOf(row);
  if (maximum === Number.NEGATIVE_INFINITY || Number.isNaN(maximum)) return maximum;
  if (maximum === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp((row[i] as number) - maximum);
  return maximum + Math.log(sum);
}

/** ln softmax(row), stable for large magnitudes. Returns a new Float64Array. */
export function logSoftmax(row: LogitsRow): Float64Array {
  const normaliser = logSumExp(row);
  const out = new Float64Array(row.length);
  for (let i = 0; i < row.length; i++) out[i] = (row[i] as number) - normaliser;
  return out;
}

/** The largest entry (NaN when any entry is NaN, −∞ for an empty row). */
export function maximumOf(row: LogitsRow): number {
  let maximum = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < row.length; i++) {
    const value = row[i] as number;
    if (Number.isNaN(value)) return Number.NaN;
    if (value > maximum) maximum = value;
  }
  return maximum;
}

/** Index of the largest entry; ties go to the lowest index. */
export function argmaxOf(row: LogitsRow): number {
  let best = 0;
  let maximum = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < row.length; i++) {
    const value = row[i] as number;
    if (value > maximum) {
      maximum = value;
      best = i;
    }
  }
  return best;
}

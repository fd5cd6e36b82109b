/** Steps per power of two in the table below: exp(x − max) = 2^(−j/steps) · e^f. */
const steps = 64;
/**
 * Terms below 2^−80 of the maximum's term are left out: a row has fewer than 2^31 logits, so together
 * they are under 2^−49 of the sum; in practice (vocabularies up to 2^18) under 2^−62, below the ulp of a
 * float64 sum that holds the maximum's term 1.
 */
const lowestPowerOfTwo = 80;
const lastStep = lowestPowerOfTwo * steps;
/** 2^(−j/steps) for j = 0..lastStep. */
const powersOfTwo = Float64Array.from({ length: lastStep + 1 }, (_, j) => 2 ** (-j / steps));
const stepsPerNat = steps * Math.LOG2E;
const natsPerStep = Math.LN2 / steps;

/**
 * −ln softmax(row)[token] for a float32 logits row: the same quantity as core's `surprisalFromLogits`,
 * specialised for speed because it runs over the whole vocabulary for every fed position.
 *
 * One pass: the maximum and Σ exp(x − maximum) are kept together; when a larger value arrives, the sum
 * so far is rescaled by exp(old − new) with `Math.exp` (rare in a logits row: about ln n times for a
 * row in random order, at most once per element for an ascending one). Each other term is evaluated
 * as 2^(−j/64) · e^f, with j the nearest step of (maximum − x)·64/ln 2, so |f| ≤ ln2/128 < 0.00542,
 * and e^f by its degree-3 Taylor polynomial. The polynomial's relative error is at most
 * |f|⁴/24 · e^|f| < 3.6e-11, the table's and the argument's float64 roundings add under 1e-12: every
 * term, hence the sum, is within 4e-11 relative, so the surprisal is within 4e-11 absolute — far below
 * the precision of the float32 logits themselves (half an ulp is 3e-8 relative, 6e-7 absolute at 10).
 */
export function rowSurprisal(row: Float32Array, token: number): number {
  // Locals, not module bindings, in the loop (bundlers turn top-level consts into mutable vars).
  const powers = powersOfTwo;
  const limit = lastStep;
  const toSteps = stepsPerNat;
  const toNats = natsPerStep;
  let maximum = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < row.length; i++) {
    const value = row[i] as number;
    if (value > maximum) {
      // exp(−∞ − value) = 0: nothing was summed before the first finite value.
      sum = sum * Math.exp(maximum - value) + 1;
      maximum = value;
      continue;
    }
    if (!(value <= maximum)) return Number.NaN;
    const scaled = (maximum - value) * toSteps;
    // Also false for NaN (−∞ against a maximum of −∞): such terms are 0.
    if (!(scaled <= limit)) continue;
    const step = (scaled + 0.5) | 0;
    const f = (step - scaled) * toNats;
    sum += (powers[step] as number) * (1 + f * (1 + f * (0.5 + f * (1 / 6))));
  }
  if (maximum === Number.NEGATIVE_INFINITY || maximum === Number.POSITIVE_INFINITY) return Number.NaN;
  return Math.max(0, maximum + Math.log(sum) - (row[token] as number));
}

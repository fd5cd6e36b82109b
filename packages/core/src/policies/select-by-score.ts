/**
 * Indices of the `count` highest scores among `scores[0..length)`, ties to the lower index, in
 * ascending index order. Expected O(length): a three-way quickselect finds the count-th largest value,
 * then one pass collects the winners. NaN ranks below every number.
 */
export function topIndicesByScore(scores: Float64Array, length: number, count: number): Uint32Array {
  if (count <= 0 || length === 0) return new Uint32Array(0);
  if (count >= length) return identityIndices(length);
  const { threshold, above } =
    length >= sampledSelectionMinimum
      ? (sampledThreshold(scores, length, count) ?? exactThreshold(scores, length, count))
      : exactThreshold(scores, length, count);
  let equalSlots = count - above;
  const out = new Uint32Array(count);
  let written = 0;
  // NaN ranks as −∞: it can only fill equal slots when the threshold itself is −∞.
  const nanIsEqual = threshold === Number.NEGATIVE_INFINITY;
  for (let i = 0; i < length && written < count; i++) {
    const value = scores[i] as number;
    if (value > threshold) out[written++] = i;
    else if (equalSlots > 0 && (value === threshold || (nanIsEqual && Number.isNaN(value)))) {
      out[written++] = i;
      equalSlots--;
    }
  }
  return out;
}

/** Below this length a plain quickselect is as fast as sampling first. */
const sampledSelectionMinimum = 4096;

/** Quickselect over a copy of all scores (NaN as −∞). */
function exactThreshold(
  scores: Float64Array,
  length: number,
  count: number,
): { threshold: number; above: number } {
  const work = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const value = scores[i] as number;
    work[i] = Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value;
  }
  return kthLargest(work, count);
}

/**
 * Floyd–Rivest-style shortcut: estimate bounds around the count-th largest score from an evenly
 * strided sample, then one pass counts the scores above the upper bound and gathers only those between
 * the bounds, and a quickselect runs on that small set. Returns undefined when the bounds miss the
 * target rank (unlucky or adversarial data); the caller then runs the exact quickselect.
 */
function sampledThreshold(
  scores: Float64Array,
  length: number,
  count: number,
): { threshold: number; above: number } | undefined {
  const sampleSize = Math.min(length, Math.max(256, Math.round(length ** (2 / 3))));
  const stride = length / sampleSize;
  const sample = new Float64Array(sampleSize);
  for (let i = 0; i < sampleSize; i++) {
    const value = scores[Math.floor(i * stride)] as number;
    sample[i] = Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value;
  }
  const rank = (count * sampleSize) / length;
  const margin = Math.sqrt(sampleSize * Math.log(length)) + 1;
  const upperRank = Math.max(1, Math.floor(rank - margin));
  const lowerRank = Math.min(sampleSize, Math.ceil(rank + margin));
  const upper = upperRank <= 1 ? Number.POSITIVE_INFINITY : kthLargest(sample, upperRank).threshold;
  const lower = lowerRank >= sampleSize ? Number.NEGATIVE_INFINITY : kthLargest(sample, lowerRank).threshold;
  let aboveUpper = 0;
  let between = 0;
  const window = new Float64Array(Math.min(length, Math.ceil((2 * margin * length) / sampleSize) * 2 + 64));
  for (let i = 0; i < length; i++) {
    const raw = scores[i] as number;
    const value = Number.isNaN(raw) ? Number.NEGATIVE_INFINITY : raw;
    if (value > upper) aboveUpper++;
    else if (value >= lower) {
      if (between === window.length) return undefined;
      window[between++] = value;
    }
  }
  const target = count - aboveUpper;
  if (target < 1 || target > between) return undefined;
  const { threshold, above } = kthLargest(window.subarray(0, between), target);
  return { threshold, above: aboveUpper + above };
}

/** [0, 1, …, length − 1]. */
export function identityIndices(length: number): Uint32Array {
  const out = new Uint32Array(length);
  for (let i = 0; i < length; i++) out[i] = i;
  return out;
}

/**
 * The k-th largest value of `values` (1-based k) and how many values are strictly larger, reordering
 * `values`. Everything left of the final window is strictly larger than everything in or right of it.
 */
function kthLargest(values: Float64Array, k: number): { threshold: number; above: number } {
  let low = 0;
  let high = values.length - 1;
  const target = k - 1; // index in descending order
  // Pseudo-random pivot positions (deterministic, seeded by the length): no input order, such as an
  // organ-pipe shape, can make every partition lopsided.
  let state = (values.length * 2654435761) >>> 0 || 1;
  const randomIndex = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return low + (state % (high - low + 1));
  };
  while (low < high) {
    const pivot = medianOfThree(
      values[randomIndex()] as number,
      values[randomIndex()] as number,
      values[randomIndex()] as number,
    );
    // Three-way partition into [> pivot][== pivot][< pivot] so repeated values cost O(n).
    let lessThan = low;
    let index = low;
    let greaterThan = high;
    while (index <= greaterThan) {
      const value = values[index] as number;
      if (value > pivot) swap(values, lessThan++, index++);
      else if (value < pivot) swap(values, index, greaterThan--);
      else index++;
    }
    if (target < lessThan) high = lessThan - 1;
    else if (target > greaterThan) low = greaterThan + 1;
    else return { threshold: pivot, above: lessThan };
  }
  return { threshold: values[low] as number, above: low };
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : Math.max(a, c);
  return a < c ? a : Math.max(b, c);
}

function swap(values: Float64Array, a: number, b: number): void {
  const temporary = values[a] as number;
  values[a] = values[b] as number;
  values[b] = temporary;
}

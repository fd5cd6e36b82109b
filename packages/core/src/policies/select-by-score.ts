/**
 * Indices of the `count` highest scores among `scores[0..length)`, ties to the lower index, in
 * ascending index order. Expected O(length): a three-way quickselect finds the count-th largest value,
 * then one pass collects the winners. NaN ranks below every number.
 */
export function topIndicesByScore(scores: Float64Array, length: number, count: number): Uint32Array {
  if (count <= 0 || length === 0) return new Uint32Array(0);
  if (count >= length) return identityIndices(length);
  const work = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const value = scores[i] as number;
    work[i] = Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value;
  }
  const { threshold, above } = kthLargest(work, count);
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
  while (low < high) {
    const pivot = medianOfThree(
      values[low] as number,
      values[(low + high) >>> 1] as number,
      values[high] as number,
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

import {
  type FamilySupport,
  familySupportOf,
  type SupportBackend,
  type SupportWeights,
} from './family-support.js';
import type { ModelFamily } from './model-family.js';

/** A kind of cell result (`works` or `refused`). */
export type SupportResultKind = FamilySupport['result'];

/**
 * What a backend's test file asserted of the family matrix. The file takes its cases from `cells`,
 * each case records its cell under the name of its check when it has run to the end, and a last test
 * expects `differences` to be empty — so a matrix cell whose test is skipped, missing or stopped early
 * fails that file, and so does a test of a cell the matrix does not list.
 */
export class FamilySupportCoverage {
  private readonly recorded = new Map<string, Set<string>>();

  constructor(private readonly backend: SupportBackend) {}

  /** The matrix's cells of this backend with one of `weights` and the given result. */
  cells<Weights extends SupportWeights>(
    weights: readonly Weights[],
    result: SupportResultKind,
  ): (FamilySupport & {
    /** The cell's weight type, one of `weights`. */
    readonly weights: Weights;
  })[] {
    return weights.flatMap((weight) =>
      familySupportOf(this.backend, weight)
        .filter((cell) => cell.result === result)
        .map((cell) => ({ ...cell, weights: weight })),
    );
  }

  /** Records that `check` (e.g. `surprisal`, `conformance`, `refusal`) ran to the end on this cell. */
  record(check: string, family: ModelFamily, weights: SupportWeights): void {
    let cells = this.recorded.get(check);
    if (cells === undefined) {
      cells = new Set();
      this.recorded.set(check, cells);
    }
    cells.add(cellName(family, weights));
  }

  /**
   * One line per cell of `weights` with `result` that `check` did not record ("not checked"), and per
   * cell `check` recorded that is not such a cell ("not in the matrix"); empty when the two agree.
   */
  differences(check: string, weights: readonly SupportWeights[], result: SupportResultKind): string[] {
    const listed = new Set(this.cells(weights, result).map((cell) => cellName(cell.family, cell.weights)));
    const recorded = this.recorded.get(check) ?? new Set<string>();
    return [
      ...[...listed]
        .filter((cell) => !recorded.has(cell))
        .map((cell) => `${check}: ${cell} (${result}) not checked`),
      ...[...recorded]
        .filter((cell) => !listed.has(cell))
        .map((cell) => `${check}: ${cell} checked but not ${result} in the matrix`),
    ];
  }
}

function cellName(family: ModelFamily, weights: SupportWeights): string {
  return `${family} ${weights}`;
}

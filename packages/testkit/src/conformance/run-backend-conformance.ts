import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { abortChecks } from './checks/abort-checks.js';
import { badInputChecks } from './checks/bad-input-checks.js';
import { busyChecks } from './checks/busy-checks.js';
import { capacityChecks } from './checks/capacity-checks.js';
import { compactionChecks } from './checks/compaction-checks.js';
import { disposeChecks } from './checks/dispose-checks.js';
import { samplingChecks } from './checks/sampling-checks.js';
import { scoringChecks } from './checks/scoring-checks.js';
import { snapshotChecks } from './checks/snapshot-checks.js';
import { textChecks } from './checks/text-checks.js';
import { ConformanceHarness } from './conformance-harness.js';
import type { ConformanceFactory, ConformanceOptions } from './conformance-subject.js';

/**
 * Registers the backend conformance suite (vitest `describe`/`it` blocks) for one backend: surprisal
 * and argmax against a fresh float64 reference forward pass of the same tiny model, compaction
 * (1-layer models: evict arbitrary tokens, then equal a fresh forward at compacted positions), tail
 * rollback at any depth, `detokenize` (empty input, token-boundary splits), greedy and seeded sampling determinism, capacity, bad input, abort, concurrent calls (busy), dispose
 * and (where supported) snapshots. Call it at the top level of a test file.
 */
export function runBackendConformance(
  name: string,
  factory: ConformanceFactory,
  options: ConformanceOptions = {},
): void {
  describe(`backend conformance: ${name}`, () => {
    const harness = new ConformanceHarness(factory, options);
    beforeAll(() => harness.start());
    afterEach(() => harness.releaseSequences());
    afterAll(() => harness.stop());

    textChecks(harness);
    scoringChecks(harness);
    compactionChecks(harness);
    samplingChecks(harness);
    capacityChecks(harness);
    badInputChecks(harness);
    abortChecks(harness);
    busyChecks(harness);
    disposeChecks(harness);
    snapshotChecks(harness);
  });
}

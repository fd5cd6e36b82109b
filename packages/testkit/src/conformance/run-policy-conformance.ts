import {
  CapacityExceededError,
  createRandom,
  InvalidOptionError,
  type LedgerView,
  type RandomSource,
  type RetentionPolicy,
  type SelectionRequest,
} from '@sirllm/core';
import { describe, expect, it } from 'vitest';
import { expectRejection } from './expect-rejection.js';

/** Makes a fresh policy; called once per check, so stateful policies (e.g. `random`) start over. */
export type PolicyFactory = () => RetentionPolicy;

/** Options of {@link runPolicyConformance}. */
export interface PolicyConformanceOptions {
  /** Seed of the generated ledgers and requests (default 20240601). */
  readonly seed?: number;
  /** Selections per check, over ledgers of 0 to 5000 tokens (default 400). */
  readonly trials?: number;
  /**
   * Whether an evicting policy keeps exactly `capacity − incoming` tokens whenever something has to go,
   * as every policy built on `createSelectionPolicy` does (default true). False: at most that many.
   */
  readonly fillsRoom?: boolean;
  /**
   * Creations that must throw `InvalidOptionError` naming the option, e.g.
   * `['sirllm.decay', () => sirllm({ decay: 0 })]`.
   */
  readonly invalidOptions?: readonly (readonly [option: string, create: () => unknown])[];
}

/** One generated `select` call and what the `RetentionPolicy` contract says must come of it. */
interface Trial {
  readonly ledger: LedgerView;
  readonly request: Required<SelectionRequest>;
  /** Sinks and protected newest tokens (the selection base: newest `max(recent, protectNewest)`). */
  readonly mandatory: { readonly sinks: number; readonly newest: number };
  /** `fits`: every index comes back; `evicts`: something goes; `refuses`: `CapacityExceededError`. */
  readonly outcome: 'fits' | 'evicts' | 'refuses';
}

const ledgerSizes = [0, 1, 2, 3, 4, 5, 6, 8, 9, 16, 31, 64, 100, 257, 1000, 5000];

/**
 * Registers the retention-policy conformance suite (vitest `describe`/`it` blocks) for one policy. Over
 * seeded random ledgers of many sizes (0 to 5000 tokens) and requests (capacity, incoming,
 * protectNewest), `select` must: return strictly ascending, unique, in-range indices as a fresh
 * `Uint32Array`; keep every index when the ledger fits in `capacity − incoming`; keep the sinks and the
 * newest `max(recent, protectNewest)` tokens; keep exactly `capacity − incoming` tokens when it evicts
 * (see `fillsRoom`); throw `CapacityExceededError` exactly when the mandatory tokens (for a policy that
 * never evicts: all of them) and the incoming ones cannot fit; never change the ledger or its scores; and
 * throw `InvalidOptionError` for bad requests (see `validateSelectionRequest`) and the given invalid
 * options. Call it at the top level of a test file.
 */
export function runPolicyConformance(
  name: string,
  factory: PolicyFactory,
  options: PolicyConformanceOptions = {},
): void {
  const seed = options.seed ?? 20240601;
  const trials = options.trials ?? 400;
  const fillsRoom = options.fillsRoom ?? true;

  /** Runs `check` on every generated trial with a fresh policy; returns how many of each outcome. */
  const eachTrial = (check: (policy: RetentionPolicy, trial: Trial, label: string) => void) => {
    const policy = factory();
    const generator = createRandom(seed);
    const seen = { fits: 0, evicts: 0, refuses: 0 };
    for (let index = 0; index < trials; index++) {
      const trial = generateTrial(policy, generator, index);
      seen[trial.outcome]++;
      const { capacity, incoming, protectNewest } = trial.request;
      const label = `trial ${index} (ledger ${trial.ledger.length}, capacity ${capacity}, incoming ${incoming}, protectNewest ${protectNewest})`;
      check(policy, trial, label);
    }
    return seen;
  };

  describe(`policy conformance: ${name}`, () => {
    it('describes itself: a name, integer sinks and recent ≥ 0, decay in (0, 1], evicts', () => {
      const policy = factory();
      expect(typeof policy.name === 'string' && policy.name.length > 0).toBe(true);
      expect(Number.isInteger(policy.sinks) && policy.sinks >= 0).toBe(true);
      expect(Number.isInteger(policy.recent) && policy.recent >= 0).toBe(true);
      expect(policy.decay > 0 && policy.decay <= 1).toBe(true);
      expect(typeof policy.evicts).toBe('boolean');
      expect(typeof policy.select).toBe('function');
    });

    it('returns strictly ascending indices inside the ledger, as a fresh Uint32Array', () => {
      eachTrial((policy, trial, label) => {
        if (trial.outcome === 'refuses') return;
        const keep = policy.select(trial.ledger, trial.request);
        if (!(keep instanceof Uint32Array)) throw new Error(`${label}: select returned no Uint32Array`);
        if (keep.buffer === trial.ledger.scores.buffer)
          throw new Error(`${label}: returned the ledger's memory`);
        for (let i = 0; i < keep.length; i++) {
          const index = keep[i] as number;
          if (index >= trial.ledger.length) throw new Error(`${label}: index ${index} is outside the ledger`);
          if (i > 0 && index <= (keep[i - 1] as number)) {
            throw new Error(`${label}: indices not strictly ascending at ${i} (${keep[i - 1]}, ${index})`);
          }
        }
      });
    });

    it('keeps every index while the ledger fits, and exactly the room when it evicts', () => {
      const seen = eachTrial((policy, trial, label) => {
        if (trial.outcome === 'refuses') return;
        const keep = policy.select(trial.ledger, trial.request);
        const { length } = trial.ledger;
        const room = trial.request.capacity - trial.request.incoming;
        if (trial.outcome === 'fits') {
          if (keep.length !== length) throw new Error(`${label}: kept ${keep.length} of ${length} that fit`);
        } else if (fillsRoom ? keep.length !== room : keep.length > room) {
          throw new Error(`${label}: kept ${keep.length}, room for ${room}`);
        }
      });
      expect(seen.fits).toBeGreaterThan(0);
      if (factory().evicts) expect(seen.evicts).toBeGreaterThan(0);
    });

    it('keeps the sinks and the newest max(recent, protectNewest) tokens', () => {
      eachTrial((policy, trial, label) => {
        if (trial.outcome === 'refuses') return;
        const keep = policy.select(trial.ledger, trial.request);
        const kept = new Uint8Array(trial.ledger.length);
        for (const index of keep) kept[index] = 1;
        const { length } = trial.ledger;
        for (let index = 0; index < trial.mandatory.sinks; index++) {
          if (kept[index] !== 1) throw new Error(`${label}: sink ${index} was evicted`);
        }
        for (let index = length - trial.mandatory.newest; index < length; index++) {
          if (kept[index] !== 1) throw new Error(`${label}: protected newest token ${index} was evicted`);
        }
      });
    });

    it('throws CapacityExceededError exactly when the mandatory and incoming tokens cannot fit', () => {
      const seen = eachTrial((policy, trial, label) => {
        let error: unknown;
        try {
          policy.select(trial.ledger, trial.request);
        } catch (caught) {
          error = caught;
        }
        if (trial.outcome === 'refuses' && !CapacityExceededError.isInstance(error)) {
          throw new Error(`${label}: expected a CapacityExceededError, got ${describeError(error)}`, {
            cause: error,
          });
        }
        if (trial.outcome !== 'refuses' && error !== undefined) {
          throw new Error(`${label}: the request fits, but select threw ${describeError(error)}`, {
            cause: error,
          });
        }
      });
      expect(seen.refuses).toBeGreaterThan(0);
    });

    it('never changes the ledger or its scores', () => {
      eachTrial((policy, trial, label) => {
        // The ledger view is frozen (its length cannot change); its scores are compared, stale entries too.
        const before = Float64Array.from(trial.ledger.scores);
        try {
          policy.select(trial.ledger, trial.request);
        } catch {
          // Refusals are checked above; the ledger must be untouched either way.
        }
        for (let i = 0; i < before.length; i++) {
          if (!Object.is(before[i], trial.ledger.scores[i])) throw new Error(`${label}: changed score ${i}`);
        }
      });
    });

    it('rejects bad requests with InvalidOptionError', async () => {
      const policy = factory();
      const ledger = frozenLedger(Float64Array.from({ length: 12 }, (_, i) => i % 5));
      const bad: [string, LedgerView, SelectionRequest][] = [
        ['capacity 0', ledger, { capacity: 0, incoming: 0 }],
        ['capacity −8', ledger, { capacity: -8, incoming: 1 }],
        ['capacity 8.5', ledger, { capacity: 8.5, incoming: 1 }],
        ['capacity NaN', ledger, { capacity: Number.NaN, incoming: 1 }],
        ['capacity "8"', ledger, { capacity: '8' as unknown as number, incoming: 1 }],
        ['incoming −1', ledger, { capacity: 8, incoming: -1 }],
        ['incoming 1.5', ledger, { capacity: 8, incoming: 1.5 }],
        ['incoming NaN', ledger, { capacity: 8, incoming: Number.NaN }],
        ['protectNewest −1', ledger, { capacity: 8, incoming: 1, protectNewest: -1 }],
        ['protectNewest 0.5', ledger, { capacity: 8, incoming: 1, protectNewest: 0.5 }],
        ['ledger length −1', { length: -1, scores: ledger.scores }, { capacity: 8, incoming: 1 }],
        ['ledger length 2.5', { length: 2.5, scores: ledger.scores }, { capacity: 8, incoming: 1 }],
      ];
      for (const [label, view, request] of bad) {
        await expectRejection(() => policy.select(view, request), InvalidOptionError, label);
      }
      expect(Array.from(ledger.scores)).toEqual(Array.from({ length: 12 }, (_, i) => i % 5));
    });

    const invalid = options.invalidOptions ?? [];
    if (invalid.length > 0) {
      it('rejects invalid options with InvalidOptionError naming the option', async () => {
        for (const [option, create] of invalid) {
          const error = await expectRejection(create, InvalidOptionError, option);
          expect((error as InvalidOptionError).option, option).toBe(option);
        }
      });
    }
  });
}

/** A ledger of `length` random scores (ties, zeros and +∞ included), with stale entries past the end. */
function generateTrial(policy: RetentionPolicy, generator: RandomSource, index: number): Trial {
  const length =
    index < ledgerSizes.length * 4
      ? (ledgerSizes[index % ledgerSizes.length] as number)
      : generator.nextInteger(generator.next() < 0.8 ? 300 : 5000);
  const stale = generator.nextInteger(4);
  const scores = new Float64Array(length + stale);
  for (let i = 0; i < scores.length; i++) {
    const draw = generator.next();
    scores[i] = draw < 0.05 ? Number.POSITIVE_INFINITY : draw < 0.15 ? 0 : draw < 0.3 ? 1 : draw * 20;
  }
  const ledger = frozenLedger(scores, length);
  const protectNewest = generator.nextInteger(7);
  const mandatoryCells = policy.sinks + Math.max(policy.recent, protectNewest);
  // Capacities around the ledger's length: some fit, most evict, some cannot hold the mandatory tokens.
  const capacity = Math.max(1, Math.round(generator.next() * (length + mandatoryCells) * 1.3) + 1);
  const incoming = generator.next() < 0.05 ? capacity + 1 : generator.nextInteger(capacity + 1);
  const room = capacity - incoming;
  const sinks = policy.evicts ? Math.min(policy.sinks, length) : length;
  const newest = policy.evicts ? Math.min(Math.max(policy.recent, protectNewest), length - sinks) : 0;
  const outcome = length <= room ? 'fits' : sinks + newest > room || !policy.evicts ? 'refuses' : 'evicts';
  return {
    ledger,
    request: { capacity, incoming, protectNewest },
    mandatory: { sinks: outcome === 'fits' ? length : sinks, newest },
    outcome,
  };
}

function frozenLedger(scores: Float64Array, length = scores.length): LedgerView {
  return Object.freeze({ length, scores });
}

function describeError(error: unknown): string {
  if (error === undefined) return 'nothing';
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

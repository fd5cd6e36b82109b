import { describe, expect, it } from 'vitest';
import { CapacityExceededError } from '../errors/capacity-exceeded-error.js';
import { DisposedError } from '../errors/disposed-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { PositionShiftUnsupportedError } from '../errors/position-shift-unsupported-error.js';
import { SessionBusyError } from '../errors/session-busy-error.js';
import type { ModelInfo } from '../seam/model-info.js';
import { BackendLifecycle } from './backend-lifecycle.js';
import { refuseUnshiftablePositions, unshiftableRopeScheme } from './position-shift.js';
import { requireSequenceCapacity } from './sequence-capacity.js';
import { SequenceGuard } from './sequence-guard.js';

const info = (positionShift: ModelInfo['positionShift']): ModelInfo => ({
  name: 'tiny',
  fingerprint: 'tiny:1',
  vocabularySize: 10,
  trainedContextLength: 64,
  specialTokens: { endOfGeneration: [] },
  positionShift,
});

class FakeSequence {
  disposals = 0;
  readonly guard: SequenceGuard;
  constructor(lifecycle: BackendLifecycle<FakeSequence>) {
    this.guard = lifecycle.guard(this);
  }
  async dispose(): Promise<void> {
    if (this.guard.dispose()) this.disposals++;
  }
}

/** A sequence whose dispose marks it disposed and then fails (a native free that throws). */
class FailingSequence extends FakeSequence {
  readonly #message: string;
  constructor(lifecycle: BackendLifecycle<FakeSequence>, message: string) {
    super(lifecycle);
    this.#message = message;
  }
  override async dispose(): Promise<void> {
    await super.dispose();
    throw new Error(this.#message);
  }
}

describe('BackendLifecycle', () => {
  it('admits a capacity in [1, maximum] and names `capacity` otherwise, with the note', () => {
    const lifecycle = new BackendLifecycle({
      info: info('exact'),
      positionScheme: 'rope',
      maximum: 8,
      note: 'why',
    });
    expect(lifecycle.admit({ capacity: 8 })).toBe(8);
    for (const capacity of [0, 9, 1.5, Number.NaN, '4']) {
      expect(() => lifecycle.admit({ capacity } as never)).toThrow(/"capacity".*\[1, 8\] \(why\)/);
    }
    expect(() => lifecycle.admit(undefined)).toThrow(InvalidOptionError);
  });

  it('refuses unshiftable models before the capacity, naming scheme and model', () => {
    const lifecycle = new BackendLifecycle({
      info: info('unsupported'),
      positionScheme: 'mrope',
      maximum: 8,
    });
    expect(() => lifecycle.admit({ capacity: 0 })).toThrow(PositionShiftUnsupportedError);
    expect(() => lifecycle.admit({ capacity: 4 })).toThrow(/Model "tiny" uses the position scheme "mrope"/);
    const approximate = new BackendLifecycle({
      info: info('approximate'),
      positionScheme: 'yarn',
      maximum: 8,
    });
    expect(approximate.admit({ capacity: 4 })).toBe(4);
  });

  it('disposes every live sequence once, then refuses with DisposedError naming the resource', async () => {
    const lifecycle = new BackendLifecycle<FakeSequence>({
      info: info('exact'),
      positionScheme: 'rope',
      maximum: 8,
      resource: 'fake backend',
      sequenceResource: 'fake sequence',
    });
    const kept = await lifecycle.register(new FakeSequence(lifecycle));
    const dropped = await lifecycle.register(new FakeSequence(lifecycle));
    await dropped.dispose();
    expect(lifecycle.sequences).toEqual([kept]);
    expect(await lifecycle.dispose()).toBe(true);
    expect(await lifecycle.dispose()).toBe(false);
    expect(kept.disposals).toBe(1);
    expect(dropped.disposals).toBe(1);
    expect(lifecycle.sequences).toEqual([]);
    expect(() => lifecycle.assertUsable()).toThrow(/This fake backend has been disposed/);
    expect(() => lifecycle.admit({ capacity: 1 })).toThrow(DisposedError);
    expect(() => kept.guard.assertUsable('append')).toThrow(/This fake sequence has been disposed/);
    const late = new FakeSequence(lifecycle);
    await expect(lifecycle.register(late)).rejects.toSatisfy(DisposedError.isInstance);
    expect(late.disposals).toBe(1);
  });

  it('disposes every sequence and runs every release step even when some throw, then throws', async () => {
    const lifecycle = new BackendLifecycle<FakeSequence>({
      info: info('exact'),
      positionScheme: 'rope',
      maximum: 8,
    });
    const first = await lifecycle.register(new FakeSequence(lifecycle));
    const failing = await lifecycle.register(new FailingSequence(lifecycle, 'sequence failed'));
    const last = await lifecycle.register(new FakeSequence(lifecycle));
    const released: string[] = [];
    await expect(
      lifecycle.dispose(
        async () => void released.push('model'),
        async () => {
          released.push('files');
          throw new Error('release failed');
        },
        () => void released.push('folder'),
      ),
    ).rejects.toSatisfy(
      (error) =>
        error instanceof AggregateError &&
        error.errors.map((e: Error) => e.message).join() === 'sequence failed,release failed',
    );
    expect([first.disposals, failing.disposals, last.disposals]).toEqual([1, 1, 1]);
    expect(released).toEqual(['model', 'files', 'folder']);
    expect(lifecycle.sequences).toEqual([]);
    expect(lifecycle.disposed).toBe(true);
    expect(await lifecycle.dispose(async () => void released.push('again'))).toBe(false);
    expect(released).toEqual(['model', 'files', 'folder']);
  });

  it('throws the only error of a dispose as it is, after releasing', async () => {
    const lifecycle = new BackendLifecycle<FakeSequence>({
      info: info('exact'),
      positionScheme: 'rope',
      maximum: 8,
    });
    await lifecycle.register(new FailingSequence(lifecycle, 'only failure'));
    let released = false;
    await expect(
      lifecycle.dispose(async () => {
        released = true;
      }),
    ).rejects.toThrow(/^only failure$/);
    expect(released).toBe(true);
  });

  it('makes a sequence unusable once its backend is disposed', async () => {
    const lifecycle = new BackendLifecycle<FakeSequence>({
      info: info('exact'),
      positionScheme: 'rope',
      maximum: 8,
    });
    const guard = new SequenceGuard({ backendDisposed: () => lifecycle.disposed });
    await lifecycle.dispose();
    expect(guard.disposed).toBe(true);
    expect(() => guard.throwIfDisposed()).toThrow(/This sequence has been disposed/);
  });
});

describe('SequenceGuard', () => {
  it('refuses a second operation while one runs, and accepts it after', async () => {
    const guard = new SequenceGuard();
    let finish: () => void = () => undefined;
    const running = guard.exclusive('append', () => new Promise<void>((resolve) => (finish = resolve)));
    expect(guard.running).toBe('append');
    expect(() => guard.assertUsable('retain')).toThrow(SessionBusyError);
    await expect(guard.exclusive('snapshot', async () => 1)).rejects.toThrow(
      /Cannot start snapshot: append is still running/,
    );
    finish();
    await running;
    expect(guard.running).toBeUndefined();
    await expect(guard.exclusive('snapshot', async () => 1)).resolves.toBe(1);
  });

  it('frees the operation when it fails', async () => {
    const guard = new SequenceGuard();
    await expect(guard.exclusive('append', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(() => guard.assertUsable('append')).not.toThrow();
  });

  it('checks append and retain arguments with the seam validators', () => {
    const guard = new SequenceGuard();
    const limits = { length: 2, capacity: 4, vocabularySize: 10 };
    expect(guard.checkAppend([1, 2], {}, limits)).toBeUndefined();
    expect(guard.checkAppend([], { sample: {} }, limits)).toMatchObject({ temperature: 0 });
    expect(() => guard.checkAppend([10], {}, limits)).toThrow(/"tokens\[0\]"/);
    expect(() => guard.checkAppend([], {}, limits)).toThrow(InvalidOptionError);
    expect(() => guard.checkAppend([1, 2, 3], {}, limits)).toThrow(CapacityExceededError);
    expect(guard.checkRetain(new Uint32Array([0, 1]), 2)).toBe(false);
    expect(guard.checkRetain(new Uint32Array([1]), 2)).toBe(true);
    expect(() => guard.checkRetain(new Uint32Array([1, 0]), 2)).toThrow(/"retain\(keep\)"/);
  });

  it('disposes once and runs onDispose once', () => {
    let released = 0;
    const guard = new SequenceGuard({ resource: 'cache', onDispose: () => released++ });
    expect(guard.dispose()).toBe(true);
    expect(guard.dispose()).toBe(false);
    expect(released).toBe(1);
    expect(() => guard.checkRetain(new Uint32Array(0), 0)).toThrow(/This cache has been disposed/);
  });
});

describe('position-shift refusal', () => {
  it('throws only for unsupported models and names RoPE schemes', () => {
    expect(() => refuseUnshiftablePositions({ support: 'exact', scheme: 'rope', model: 'm' })).not.toThrow();
    expect(() => refuseUnshiftablePositions({ support: 'unsupported', scheme: 'x', model: 'm' })).toThrow(
      PositionShiftUnsupportedError,
    );
    expect(
      unshiftableRopeScheme({
        theta: 1,
        dimensions: 4,
        scaling: { type: 'other', name: 'longrope' },
      } as never),
    ).toBe('longrope');
    expect(unshiftableRopeScheme(undefined)).toBe('dynamic NTK RoPE scaling');
  });
});

describe('requireSequenceCapacity', () => {
  it('tolerates missing options', () => {
    expect(() => requireSequenceCapacity(null as never, { maximum: 2 })).toThrow(
      /expected an integer in \[1, 2\], got undefined/,
    );
  });
});

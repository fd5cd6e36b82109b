import { readFile, rm, writeFile } from 'node:fs/promises';
import {
  type AppendOptions,
  type AppendResult,
  BackendError,
  InvalidOptionError,
  type KVSequence,
  type normaliseSamplingOptions,
  type SequenceGuard,
  SirLLMError,
  sampleNext,
  surprisalFromLogitSummary,
  throwIfAborted,
} from '@sirllm/core';
import type {
  ControlledEvaluateIndexOutput,
  ControlledEvaluateInputItem,
  LlamaContextSequence,
} from 'node-llama-cpp';
import { droppedRanges, shiftedTokenCount } from './erase-ranges.js';
import { asTokens, lastItem, scoringItem } from './evaluation-items.js';
import { LlamaCppConstraintState } from './grammar/llama-cpp-constraint.js';
import type { SequenceHost, SequenceStatistics } from './sequence-host.js';
import { encodeSnapshot } from './snapshot/snapshot-format.js';

/** The summary of one output row that surprisal needs. */
interface RowSummary {
  /** The greedy or sampled token. */
  readonly selected: number;
  readonly maximum: number;
  readonly logits: ReadonlyMap<number, number>;
  readonly totalWeight: number;
}

/**
 * One conversation's cache in a llama.cpp context (a `LlamaContextSequence`), kept compact at
 * positions 0..length−1.
 *
 * To score the first token of the next `append` without re-evaluating anything, the newest resident
 * token is normally held back and fed together with the next call (llama.cpp only reports the
 * distribution after a token when it evaluates it). When a call samples or reports argmax, every token
 * is fed; if the next call then starts with a token other than the one picked, the newest token is
 * erased from the tail (free) and fed again.
 */
export class LlamaCppSequence implements KVSequence {
  readonly capacity: number;
  readonly #host: SequenceHost;
  readonly #sequence: LlamaContextSequence;
  /** Every resident token in cache order; the first `#evaluated` are in llama.cpp's cache. */
  #tokens: number[] = [];
  #evaluated = 0;
  /** The token picked after the newest one and its surprisal, while every token is evaluated. */
  #next: { token: number; surprisal: number } | undefined;
  /** Successful appends with `sample` so far: the draw index of the next pick (see `sampleNext`). */
  #draws = 0;
  readonly #guard: SequenceGuard;
  /** The operation running now (append, retain or snapshot), which `dispose` waits for. */
  #inFlight: Promise<unknown> | undefined;
  /** True after an in-place erase until the next decode (llama.cpp re-rotates moved keys lazily). */
  #shiftPending = false;
  #statistics = { evaluatedTokens: 0, shiftedTokens: 0, erasures: 0, rebuilds: 0 };

  constructor(host: SequenceHost, sequence: LlamaContextSequence, capacity: number) {
    this.#host = host;
    this.#guard = host.lifecycle.guard(this);
    this.#sequence = sequence;
    this.capacity = capacity;
  }

  /** Tokens resident now; 0 once the sequence or its backend is disposed. */
  get length(): number {
    return this.#guard.disposed ? 0 : this.#tokens.length;
  }

  /** The resident tokens (a copy). */
  get tokens(): number[] {
    return this.#tokens.slice();
  }

  /** Counters that show what reached llama.cpp (see {@link SequenceStatistics}). */
  get statistics(): SequenceStatistics {
    return { ...this.#statistics };
  }

  /** The underlying node-llama-cpp sequence, for inspection (its token meter). Do not evaluate on it. */
  get llamaSequence(): LlamaContextSequence {
    return this.#sequence;
  }

  async append(tokens: readonly number[], options: AppendOptions = {}): Promise<AppendResult> {
    const sample = this.#guard.checkAppend(tokens, options, {
      length: this.length,
      capacity: this.capacity,
      vocabularySize: this.#host.vocabularySize,
    });
    return this.#guard.exclusive('append', () =>
      this.#disposalAware(() => this.#appendChecked(tokens, options, sample)),
    );
  }

  /** `append` after its checks, inside the busy guard. */
  async #appendChecked(
    tokens: readonly number[],
    options: AppendOptions,
    sample: ReturnType<typeof normaliseSamplingOptions> | undefined,
  ): Promise<AppendResult> {
    const constraint = sample ? this.#constraintOf(options) : undefined;

    const surprisal = new Float32Array(tokens.length);
    const reportLast = sample !== undefined || options.argmax === true;
    const known = this.#next;
    if (this.#evaluated === this.length && this.length > 0) {
      if (known && tokens.length > 0 && tokens[0] === known.token) surprisal[0] = known.surprisal;
      else {
        await this.#holdBackNewest();
        this.#guard.throwIfDisposed();
      }
    } else if (this.length === 0 && tokens.length > 0) {
      surprisal[0] = Number.POSITIVE_INFINITY;
    }
    const held = this.#evaluated < this.length ? [this.#tokens[this.#evaluated] as number] : [];
    const feed = [...held, ...tokens];
    const offset = held.length;
    const count = reportLast ? feed.length : feed.length - 1;
    const items: ControlledEvaluateInputItem[] = [];
    for (let j = 0; j < count; j++) {
      const token = feed[j] as number;
      items.push(
        j + 1 < feed.length
          ? scoringItem(token, feed[j + 1] as number)
          : lastItem(token, sample, constraint !== undefined),
      );
    }

    const argmax = options.argmax ? new Int32Array(tokens.length) : undefined;
    let last: RowSummary | undefined;
    let next: { token: number; surprisal: number } | undefined;
    const start = this.#evaluated;
    try {
      for (let from = 0; from < items.length; from += this.#host.batchSize) {
        throwIfAborted(options.signal, 'append');
        this.#guard.throwIfDisposed();
        const chunk = items.slice(from, from + this.#host.batchSize);
        const results = await this.#sequence.controlledEvaluate(chunk);
        this.#guard.throwIfDisposed();
        this.#shiftPending = false;
        this.#statistics.evaluatedTokens += chunk.length;
        results.forEach((result, index) => {
          const j = from + index;
          const row = summarise(result, j);
          const scored = j + 1 - offset;
          if (scored < tokens.length) {
            const logit = row.logits.get(tokens[scored] as number);
            if (logit === undefined)
              throw new BackendError(`llama.cpp returned no logit for token ${tokens[scored]}`);
            surprisal[scored] = surprisalFromLogitSummary(logit, row.maximum, row.totalWeight);
          }
          if (argmax && j - offset >= 0) argmax[j - offset] = topTokenOf(row);
          if (j === feed.length - 1) last = row;
        });
      }
      throwIfAborted(options.signal, 'append');
      if (last) next = this.#nextOf(last, sample, constraint);
    } catch (error) {
      // A disposed llama.cpp sequence has no cache left to roll back (and refuses the erase).
      this.#guard.throwIfDisposed();
      await this.#eraseTail(start);
      if (SirLLMError.isInstance(error)) throw error;
      throw new BackendError(`llama.cpp failed to evaluate: ${describe(error)}`, { cause: error });
    }
    this.#tokens.push(...tokens);
    this.#evaluated = start + count;
    this.#next = next;
    if (sample && next) this.#draws++;
    return { surprisal, ...(argmax ? { argmax } : {}), ...(sample && next ? { next } : {}) };
  }

  /**
   * The next token and its raw surprisal. With temperature or a constraint: core's `sampleNext` over the
   * raw row (draw `#draws`, as every backend; a constraint's grammar refuses tokens, which are then no
   * candidates). Greedy and unconstrained (or no `sample`, for argmax): node-llama-cpp's greedy pick —
   * llama.cpp's argmax, ties to the lowest id, the same token `sampleNext` picks at temperature 0 —
   * which spares copying the whole row out of llama.cpp for every greedy token.
   */
  #nextOf(
    last: RowSummary,
    sample: ReturnType<typeof normaliseSamplingOptions> | undefined,
    constraint: LlamaCppConstraintState | undefined,
  ): { token: number; surprisal: number } {
    if (sample && (constraint || sample.temperature > 0)) {
      const row = rawRow(last.logits, this.#host.vocabularySize);
      return sampleNext(row, sample, { draw: this.#draws, constraint });
    }
    const logit = last.logits.get(last.selected);
    if (logit === undefined) throw new BackendError(`llama.cpp returned no logit for token ${last.selected}`);
    return {
      token: last.selected,
      surprisal: surprisalFromLogitSummary(logit, last.maximum, last.totalWeight),
    };
  }

  /** The append's constraint, checked: a state of a constraint this sequence's backend compiled. */
  #constraintOf(options: AppendOptions): LlamaCppConstraintState | undefined {
    const { constraint } = options;
    if (constraint === undefined) return undefined;
    if (!(constraint instanceof LlamaCppConstraintState) || !constraint.belongsTo(this.#host.constraints)) {
      throw new InvalidOptionError({
        option: 'constraint',
        value: constraint,
        expected: "a state started from a constraint this backend's compileJsonSchema() made",
      });
    }
    return constraint;
  }

  async retain(keep: Uint32Array): Promise<void> {
    if (!this.#guard.checkRetain(keep, this.length)) return;
    return this.#guard.exclusive('retain', () => this.#disposalAware(() => this.#retainChecked(keep)));
  }

  /** `retain` after its checks, inside the busy guard. */
  async #retainChecked(keep: Uint32Array): Promise<void> {
    const kept = Array.from(keep, (index) => this.#tokens[index] as number);
    this.#next = undefined;
    if (keep.length === 0) {
      await this.#sequence.clearHistory();
      this.#guard.throwIfDisposed();
      this.#tokens = [];
      this.#evaluated = 0;
      return;
    }
    if (this.#host.evictionMode === 'rebuild' || keep[0] !== 0) {
      await this.#rebuild(kept);
      return;
    }
    const ranges = droppedRanges(keep, this.#evaluated);
    if (ranges.length > 0) {
      try {
        await this.#sequence.eraseContextTokenRanges(ranges);
      } catch (error) {
        throw new BackendError(`llama.cpp failed to erase tokens: ${describe(error)}`, { cause: error });
      }
      this.#guard.throwIfDisposed();
      this.#statistics.shiftedTokens += shiftedTokenCount(ranges, this.#evaluated);
      this.#shiftPending = true;
      this.#statistics.erasures++;
    }
    let evaluated = 0;
    for (const index of keep) if (index < this.#evaluated) evaluated++;
    this.#tokens = kept;
    this.#evaluated = evaluated;
  }

  /**
   * The resident state as bytes: this package's header (format version, model fingerprint, tokens,
   * checksum) around node-llama-cpp's state file. Restore with `LlamaCppBackend.restoreSequence`.
   */
  async snapshot(): Promise<Uint8Array> {
    this.#guard.assertUsable('snapshot');
    return this.#guard.exclusive('snapshot', () => this.#disposalAware(() => this.#snapshotChecked()));
  }

  /** `snapshot` inside the busy guard. */
  async #snapshotChecked(): Promise<Uint8Array> {
    let state = new Uint8Array(0);
    if (this.#shiftPending && this.#evaluated > 0) await this.#applyPendingShift();
    if (this.#evaluated > 0) {
      const path = await this.#host.temporaryFile();
      try {
        await this.#sequence.saveStateToFile(path);
        state = new Uint8Array(await readFile(path));
      } finally {
        await rm(path, { force: true });
      }
    }
    this.#guard.throwIfDisposed();
    return encodeSnapshot({
      fingerprint: this.#host.fingerprint,
      sequencesPerContext: this.#host.sequencesPerContext,
      tokens: this.#tokens,
      evaluated: this.#evaluated,
      state,
    });
  }

  /**
   * Loads validated snapshot content into this (empty, new) sequence.
   * @internal Used by `LlamaCppBackend.restoreSequence`, which validates the bytes first.
   */
  async load(tokens: readonly number[], evaluated: number, state: Uint8Array): Promise<void> {
    if (evaluated > 0) {
      const path = await this.#host.temporaryFile();
      try {
        await writeFile(path, state);
        await this.#sequence.loadStateFromFile(path, { acceptRisk: true });
      } finally {
        await rm(path, { force: true });
      }
      const loaded = this.#sequence.contextTokens;
      if (loaded.length !== evaluated || loaded.some((token, i) => token !== tokens[i])) {
        await this.#sequence.clearHistory();
        throw new BackendError(
          'the llama.cpp state in the snapshot does not hold the tokens its header lists',
        );
      }
    }
    this.#tokens = tokens.slice();
    this.#evaluated = evaluated;
  }

  async dispose(): Promise<void> {
    if (!this.#guard.dispose()) return;
    this.#tokens = [];
    this.#evaluated = 0;
    this.#next = undefined;
    // Never free the llama.cpp sequence under a pending evaluation: that can leave the context shared
    // with other sequences failing ("Eval has failed"). The running operation sees the disposal after
    // its current batch and rejects with DisposedError; then the native sequence goes.
    await this.#inFlight?.catch(() => undefined);
    if (!this.#sequence.disposed) this.#sequence.dispose();
  }

  /**
   * Runs an operation that a `dispose` may interrupt: `dispose` waits for it (see there), and once
   * disposed, whatever the operation throws becomes core's `DisposedError`.
   */
  async #disposalAware<T>(work: () => Promise<T>): Promise<T> {
    const running = work();
    this.#inFlight = running;
    try {
      return await running;
    } catch (error) {
      this.#guard.throwIfDisposed();
      throw error;
    } finally {
      if (this.#inFlight === running) this.#inFlight = undefined;
    }
  }

  /**
   * Makes llama.cpp apply the lazy key re-rotation of a previous erase (state files store keys as they
   * are, without the pending shift): decode one scratch token after the cache, then erase it. The
   * resident cells are not recomputed. When the context has no free cell, the newest token is decoded
   * again instead (its deeper-layer values then no longer carry context from evicted tokens).
   */
  async #applyPendingShift(): Promise<void> {
    const newest = this.#tokens[this.#evaluated - 1] as number;
    const scratchFits = this.#evaluated < this.#sequence.contextSize;
    if (!scratchFits) await this.#eraseTail(this.#evaluated - 1);
    await this.#sequence.controlledEvaluate(asTokens([newest]));
    if (scratchFits) await this.#eraseTail(this.#evaluated);
    this.#statistics.evaluatedTokens++;
    this.#shiftPending = false;
  }

  /** Makes the newest token pending again (erasing it from the tail), so its output can score a new token. */
  async #holdBackNewest(): Promise<void> {
    await this.#eraseTail(this.#evaluated - 1);
    this.#evaluated--;
  }

  /** Erases cache cells from `from` to the end; never a range starting at 0 (that would re-evaluate). */
  async #eraseTail(from: number): Promise<void> {
    const end = this.#sequence.nextTokenIndex;
    if (from >= end) return;
    if (from === 0) await this.#sequence.clearHistory();
    else await this.#sequence.eraseContextTokenRanges([{ start: from, end }]);
  }

  /** Exact compaction by re-evaluation: clear the cache and feed the kept tokens at their new positions. */
  async #rebuild(kept: number[]): Promise<void> {
    await this.#sequence.clearHistory();
    this.#tokens = [];
    this.#evaluated = 0;
    const feed = kept.slice(0, -1);
    for (let from = 0; from < feed.length; from += this.#host.batchSize) {
      this.#guard.throwIfDisposed();
      const chunk = asTokens(feed.slice(from, from + this.#host.batchSize));
      await this.#sequence.controlledEvaluate(chunk);
      this.#statistics.evaluatedTokens += chunk.length;
    }
    this.#guard.throwIfDisposed();
    this.#statistics.rebuilds++;
    this.#tokens = kept;
    this.#evaluated = feed.length;
  }
}

function summarise(result: ControlledEvaluateIndexOutput | undefined, index: number): RowSummary {
  const logits = result?.next.logits;
  const totalWeight = result?.next.totalLogitWeight;
  const top = logits?.entries().next().value;
  if (!logits || totalWeight === undefined || !top) {
    throw new BackendError(`llama.cpp returned no logits for evaluated item ${index}`);
  }
  const selected = result.next.token ?? top[0];
  return { selected, maximum: top[1], logits, totalWeight };
}

/** A full logits row from node-llama-cpp's token → logit map. */
function rawRow(logits: ReadonlyMap<number, number>, vocabularySize: number): Float32Array {
  const row = new Float32Array(vocabularySize).fill(Number.NEGATIVE_INFINITY);
  for (const [token, logit] of logits) row[token] = logit;
  return row;
}

/** The most probable token of a row: the first entry (node-llama-cpp sorts logits from highest). */
function topTokenOf(row: RowSummary): number {
  return row.logits.entries().next().value?.[0] ?? row.selected;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

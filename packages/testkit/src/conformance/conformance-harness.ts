import type { KVBackend, KVSequence } from '@sirllm/core';
import type { TinyLlamaModel } from '../tiny-llama/tiny-llama-model.js';
import type { ConformanceFactory, ConformanceOptions, ConformanceSubject } from './conformance-subject.js';
import { assertClose, expectedSurprisal } from './surprisal-expectations.js';
import { TokenFixtures } from './token-fixtures.js';

/** Holds the subject of one conformance run and the sequences each check opens (closed after it). */
export class ConformanceHarness {
  readonly capacity: number;
  readonly #seed: number;
  readonly #factory: ConformanceFactory;
  #subject: ConformanceSubject | undefined;
  #sequences: KVSequence[] = [];

  constructor(factory: ConformanceFactory, options: ConformanceOptions = {}) {
    this.#factory = factory;
    this.capacity = options.capacity ?? 64;
    this.#seed = options.seed ?? 20240601;
  }

  async start(): Promise<void> {
    this.#subject = await this.#factory();
  }

  /** A fresh, separate subject (for checks that dispose the backend); the caller releases it. */
  async freshSubject(): Promise<ConformanceSubject> {
    return this.#factory();
  }

  get subject(): ConformanceSubject {
    if (!this.#subject) throw new Error('the conformance subject is not ready (its factory failed?)');
    return this.#subject;
  }

  get backend(): KVBackend {
    return this.subject.backend;
  }

  get model(): TinyLlamaModel {
    return this.subject.model;
  }

  get tolerance(): number {
    return this.subject.tolerance ?? 1e-6;
  }

  /** Seeded fixtures; `salt` gives each check its own stream. */
  fixtures(salt: number): TokenFixtures {
    return new TokenFixtures(this.#seed + salt * 7919, this.model.config.vocabularySize);
  }

  /**
   * Appends `next` to `sequence`, which must hold exactly `resident`, and asserts that the surprisal
   * equals a fresh reference forward over `resident ++ next`: the proof that a refused or aborted call
   * left the sequence untouched.
   */
  async expectContinuation(
    sequence: KVSequence,
    resident: readonly number[],
    next: readonly number[],
    label: string,
  ): Promise<void> {
    const { surprisal } = await sequence.append(next);
    assertClose(surprisal, expectedSurprisal(this.model, resident, next), this.tolerance, label);
  }

  /** A new sequence, disposed after the current check. */
  async sequence(capacity: number = this.capacity): Promise<KVSequence> {
    const sequence = await this.backend.createSequence({ capacity });
    this.#sequences.push(sequence);
    return sequence;
  }

  /**
   * A fresh sequence that already holds the first `resident` of `count` seeded tokens (fixtures stream
   * `salt`), and all `count` tokens: the start of most checks.
   */
  async startedSequence(
    salt: number,
    count: number,
    resident: number,
    capacity: number = this.capacity,
  ): Promise<{ tokens: number[]; sequence: KVSequence }> {
    const tokens = this.fixtures(salt).tokens(count);
    const sequence = await this.sequence(capacity);
    await sequence.append(tokens.slice(0, resident));
    return { tokens, sequence };
  }

  /** Tracks a sequence made elsewhere (e.g. restored) so it is disposed after the check. */
  track(sequence: KVSequence): KVSequence {
    this.#sequences.push(sequence);
    return sequence;
  }

  async releaseSequences(): Promise<void> {
    const sequences = this.#sequences;
    this.#sequences = [];
    for (const sequence of sequences) await sequence.dispose();
  }

  async stop(): Promise<void> {
    await this.releaseSequences();
    const subject = this.#subject;
    this.#subject = undefined;
    if (subject) await (subject.dispose ? subject.dispose() : subject.backend.dispose());
  }
}

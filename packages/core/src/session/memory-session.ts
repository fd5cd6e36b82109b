import { throwIfAborted } from '../errors/aborted-error.js';
import { BackendError } from '../errors/backend-error.js';
import { CapacityExceededError } from '../errors/capacity-exceeded-error.js';
import { DisposedError } from '../errors/disposed-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { PositionShiftUnsupportedError } from '../errors/position-shift-unsupported-error.js';
import { SessionBusyError } from '../errors/session-busy-error.js';
import { TokenLedger } from '../ledger/token-ledger.js';
import type { TokenRole } from '../ledger/token-role.js';
import type { RetentionPolicy } from '../policies/retention-policy.js';
import { identityIndices } from '../policies/select-by-score.js';
import type { KVBackend } from '../seam/kv-backend.js';
import type { AppendOptions, AppendResult, KVSequence } from '../seam/kv-sequence.js';
import type { ConstraintState } from '../seam/sampling-constraint.js';
import { requireInteger } from '../validation/require.js';
import {
  asAbort,
  checkedSurprisal,
  type GenerateCall,
  resolveGenerateCall,
  resolveInput,
  validateRole,
} from './call-validation.js';
import type {
  FinishReason,
  GenerateOptions,
  GenerateResult,
  IngestOptions,
  IngestResult,
} from './generate-options.js';
import { type ContinuationScore, type ScoreOptions, scoreContinuations } from './score-continuations.js';
import {
  type MemorySessionOptions,
  type ResolvedSessionOptions,
  type RestoreSessionOptions,
  resolveSessionOptions,
} from './session-options.js';
import { restoreSession, snapshotSession } from './session-persistence.js';
import type { SessionStatistics } from './session-statistics.js';
import { TextStream } from './text-stream.js';
import { Transcript } from './transcript.js';

/**
 * One endless conversation over a bounded KV cache. Owns a backend sequence, the ledger of resident
 * tokens (with their decayed surprisal) and the logical transcript of everything ever seen.
 *
 * A turn: `beginTurn({ incoming })` makes room for the turn (policy) and then decays every resident
 * score once; `ingest` feeds the input in chunks, evicting between chunks when a turn outgrows the
 * room (no decay mid-turn); `generate` samples the response, evicting in batches when the cache
 * fills, never the newest `protectRecent` tokens. Operations on one session run one at a time.
 */
export class MemorySession {
  readonly #options: ResolvedSessionOptions;
  readonly #sequence: KVSequence;
  readonly #ledger: TokenLedger;
  readonly #transcript: Transcript;
  #turn = -1;
  #evicted = 0;
  #evictions = 0;
  #ingested = 0;
  #generated = 0;
  #running: string | undefined;
  #disposed = false;

  private constructor(options: ResolvedSessionOptions, sequence: KVSequence, transcript = new Transcript()) {
    this.#options = options;
    this.#sequence = sequence;
    this.#ledger = new TokenLedger(options.capacity);
    this.#transcript = transcript;
  }

  /** Creates a session with a fresh sequence of `capacity` cells from the backend. */
  static async create(options: MemorySessionOptions): Promise<MemorySession> {
    const resolved = resolveSessionOptions(options);
    if (resolved.policy.evicts && resolved.backend.info.positionShift === 'unsupported') {
      throw new PositionShiftUnsupportedError({
        scheme: resolved.backend.info.rope?.scaling?.type ?? 'unknown',
        model: resolved.backend.info.name,
      });
    }
    const sequence = await resolved.backend.createSequence({ capacity: resolved.capacity });
    return new MemorySession(resolved, sequence);
  }

  /**
   * Continues a conversation from `MemorySession.snapshot()` bytes. The snapshot is validated (format,
   * checksum, the backend's model fingerprint) before anything reaches the backend; a corrupt or foreign
   * snapshot throws `InvalidOptionError` and nothing is created. The policy defaults to the one recorded
   * in the snapshot, rebuilt from `policyRegistry`; pass `policy` for `random` or policies you did not
   * register (same name required).
   */
  static async restore(options: RestoreSessionOptions): Promise<MemorySession> {
    return restoreSession(options, (parts) => {
      const session = new MemorySession(parts.options, parts.sequence, parts.transcript);
      session.#ledger.load(parts.ledger);
      session.#turn = parts.turn;
      session.#evicted = parts.counters.evicted;
      session.#evictions = parts.counters.evictions;
      session.#ingested = parts.counters.ingested;
      session.#generated = parts.counters.generated;
      return session;
    });
  }

  /**
   * The whole session — the backend's cache, the ledger with its scores, the transcript, the counters
   * and the policy's settings — as bytes for `MemorySession.restore`. Take it between operations.
   */
  async snapshot(): Promise<Uint8Array> {
    return this.#exclusive('snapshot', () =>
      snapshotSession({
        options: this.#options,
        sequence: this.#sequence,
        ledger: this.#ledger,
        transcript: this.#transcript,
        turn: this.#turn,
        counters: {
          evicted: this.#evicted,
          evictions: this.#evictions,
          ingested: this.#ingested,
          generated: this.#generated,
        },
      }),
    );
  }

  /** Whether `snapshot()` can work: the backend's sequences implement `snapshot`. */
  get canSnapshot(): boolean {
    return typeof this.#sequence.snapshot === 'function';
  }

  /** The backend the session's sequence lives in. */
  get backend(): KVBackend {
    return this.#options.backend;
  }

  /** The retention policy that chooses what stays when the cache is full. */
  get policy(): RetentionPolicy {
    return this.#options.policy;
  }

  /** KV cells of the session's cache: the most tokens ever resident at once. */
  get capacity(): number {
    return this.#options.capacity;
  }

  /** The resident tokens and their scores (read it, do not change it). */
  get ledger(): TokenLedger {
    return this.#ledger;
  }

  /** Every token the conversation has seen, resident or evicted. */
  get transcript(): Transcript {
    return this.#transcript;
  }

  /** Index of the current turn (−1 before the first `beginTurn`). */
  get turn(): number {
    return this.#turn;
  }

  /** True once `dispose()` has been called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Counters of the session so far: resident, evicted, turns, ingested and generated tokens. */
  get statistics(): SessionStatistics {
    return {
      capacity: this.capacity,
      resident: this.#ledger.length,
      evicted: this.#evicted,
      evictions: this.#evictions,
      turns: this.#turn + 1,
      ingested: this.#ingested,
      generated: this.#generated,
      transcriptLength: this.#transcript.length,
    };
  }

  /**
   * Starts a dialogue turn: evicts (policy) so that the turn's first `incoming` tokens fit — at most one
   * chunk's worth, since longer turns evict between chunks — then multiplies every resident score by
   * the policy's decay η, exactly once.
   */
  async beginTurn({ incoming = 0 }: { incoming?: number } = {}): Promise<void> {
    requireInteger('incoming', incoming, { minimum: 0 });
    await this.#exclusive('beginTurn', () => this.#beginTurn(incoming));
  }

  /**
   * Feeds input tokens (or text, tokenized by the backend) after the resident ones, in chunks; a turn
   * longer than the whole cache works, evicting between chunks. On abort, the chunks already fed stay
   * and an `AbortedError` reports them in `partial`.
   */
  async ingest(input: string | readonly number[], options: IngestOptions = {}): Promise<IngestResult> {
    const role = validateRole(options.role ?? 'user');
    const tokens = resolveInput(input, this.#options.backend, options.special ?? false);
    return this.#exclusive('ingest', () => this.#ingest(tokens, role, options.signal));
  }

  /**
   * Generates a response after the resident tokens. Each generated token is fed to the cache and enters
   * the ledger with its surprisal; when the cache fills, `decodeHeadroom` cells are freed at once. With
   * `constraint`, each token is picked among those the constraint allows, the constraint's state is
   * advanced with every fed token (eviction does not touch it), and generation stops once the
   * constrained text is complete.
   */
  async generate(options: GenerateOptions = {}): Promise<GenerateResult> {
    const call = resolveGenerateCall(options, this.#options.backend);
    return this.#exclusive('generate', () => this.#generate(call));
  }

  /**
   * Scores candidate continuations of the resident tokens without keeping any of them (multiple-choice
   * evaluation): each candidate is appended to the cache, its surprisal (and, with `argmax`, the greedy
   * token at each of its positions) is read, and the cache is rolled back. Neither the ledger nor the
   * transcript records the candidates, and scores are not decayed. When the longest candidate does not
   * fit, room is made first (policy, protecting the newest `protectRecent` tokens); a policy that never
   * evicts throws `CapacityExceededError` instead. Feed the chosen candidate afterwards with `ingest`.
   */
  async score(
    candidates: readonly (readonly number[])[],
    options: ScoreOptions = {},
  ): Promise<ContinuationScore[]> {
    if (!Array.isArray(candidates)) {
      throw new InvalidOptionError({
        option: 'candidates',
        value: candidates,
        expected: 'an array of token arrays',
      });
    }
    const resolved = candidates.map((candidate) => resolveInput(candidate, this.#options.backend, false));
    const longest = resolved.reduce((most, candidate) => Math.max(most, candidate.length), 0);
    return this.#exclusive('score', async () => {
      throwIfAborted(options.signal, 'score');
      if (this.#ledger.length === 0) {
        throw new InvalidOptionError({
          option: 'score()',
          value: 0,
          expected: 'at least one resident token to continue from; ingest a prompt first',
        });
      }
      this.#refuseOverflow(longest);
      await this.#makeRoom(longest, this.#options.protectRecent);
      return scoreContinuations(this.#sequence, this.#ledger.length, resolved, options);
    });
  }

  /**
   * Forgets the conversation from stream position `streamPosition` on, as if it had never been fed:
   * resident tokens from there on are dropped from the cache and the ledger, and the transcript is cut.
   * Tokens before it that were already evicted stay evicted. Used when a caller edits or regenerates
   * part of the history.
   */
  async rewind(streamPosition: number): Promise<void> {
    requireInteger('streamPosition', streamPosition, { minimum: 0, maximum: this.#transcript.length });
    await this.#exclusive('rewind', async () => {
      let kept = this.#ledger.length;
      while (kept > 0 && (this.#ledger.streamPositions[kept - 1] as number) >= streamPosition) kept--;
      if (kept < this.#ledger.length) {
        const keep = new Uint32Array(kept);
        for (let i = 0; i < kept; i++) keep[i] = i;
        await this.#sequence.retain(keep);
        this.#ledger.retain(keep);
      }
      this.#transcript.truncate(streamPosition);
    });
  }

  /**
   * One whole turn — `beginTurn`, `ingest(input)`, `generate(options)` — as one operation: every
   * argument is checked before anything changes, and no other call can run in between.
   */
  async respond(
    input: string | readonly number[],
    options: GenerateOptions & { inputRole?: TokenRole; special?: boolean } = {},
  ): Promise<GenerateResult> {
    const role = validateRole(options.inputRole ?? 'user');
    const tokens = resolveInput(input, this.#options.backend, options.special ?? false);
    const call = resolveGenerateCall(options, this.#options.backend);
    return this.#exclusive('respond', async () => {
      throwIfAborted(options.signal, 'respond');
      this.#refuseOverflow(tokens.length);
      await this.#beginTurn(tokens.length);
      await this.#ingest(tokens, role, options.signal);
      return this.#generate(call);
    });
  }

  /** Frees the backend sequence. Idempotent; every later call throws `DisposedError`. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#sequence.dispose();
  }

  async #beginTurn(incoming: number): Promise<void> {
    const { capacity, policy } = this.#options;
    // Room for the whole turn at once where it fits (the reference's single eviction per turn); longer
    // turns evict again between chunks.
    await this.#makeRoom(Math.min(incoming, capacity - policy.sinks - policy.recent), 0);
    this.#ledger.decay(policy.decay);
    this.#turn++;
  }

  /** A policy that never evicts refuses input that cannot fit, before anything is fed. */
  #refuseOverflow(incoming: number): void {
    const { policy, capacity } = this.#options;
    if (!policy.evicts && this.#ledger.length + incoming > capacity) {
      throw new CapacityExceededError({
        capacity,
        requested: this.#ledger.length + incoming,
        hint: `Policy "${policy.name}" never evicts and the input does not fit; nothing was fed.`,
      });
    }
  }

  async #ingest(tokens: number[], role: TokenRole, signal: AbortSignal | undefined): Promise<IngestResult> {
    this.#refuseOverflow(tokens.length);
    this.#startTurnIfNone();
    const surprisal = new Float32Array(tokens.length);
    let fed = 0;
    try {
      while (fed < tokens.length) {
        throwIfAborted(signal, 'ingest');
        const chunk = tokens.slice(fed, fed + this.#largestChunk());
        await this.#makeRoom(chunk.length, this.#options.protectRecent);
        const scores = await this.#append(chunk, { signal });
        this.#record(chunk, scores.surprisal, role);
        surprisal.set(scores.surprisal, fed);
        fed += chunk.length;
        this.#ingested += chunk.length;
      }
    } catch (error) {
      throw asAbort(error, signal, 'ingest', { tokens: tokens.slice(0, fed), text: '' });
    }
    return { tokens, surprisal };
  }

  async #generate(call: GenerateCall): Promise<GenerateResult> {
    const { backend, capacity, policy, decodeHeadroom, protectRecent } = this.#options;
    const { maxTokens, role, endTokens, sampling: sample, signal, onToken } = call;
    const constraint = call.constraint?.start();
    const sampleOptions: AppendOptions = constraint ? { sample, constraint } : { sample };
    this.#startTurnIfNone();
    const stream = new TextStream((tokens) => backend.detokenize(tokens), call.stop);
    const tokens: number[] = [];
    const surprisal: number[] = [];
    let finishReason: FinishReason = 'max-tokens';
    let endToken: number | undefined;
    const finish = (): GenerateResult => ({
      text: stream.text,
      tokens,
      surprisal: Float32Array.from(surprisal),
      finishReason,
      ...(endToken === undefined ? {} : { endToken }),
    });
    try {
      if (maxTokens === 0) return finish();
      throwIfAborted(signal, 'generate');
      if (this.#ledger.length === 0) {
        throw new InvalidOptionError({
          option: 'generate()',
          value: 0,
          expected: 'at least one resident token to continue from; ingest a prompt first',
        });
      }
      let next = requireNext(await this.#sequence.append([], { ...sampleOptions, signal }));
      while (true) {
        if (endTokens.has(next.token)) {
          finishReason = 'end-of-generation';
          endToken = next.token;
          break;
        }
        if (!policy.evicts && this.#ledger.length + 1 > capacity) {
          finishReason = 'cache-full';
          break;
        }
        throwIfAborted(signal, 'generate');
        await this.#makeRoom(decodeHeadroom, protectRecent, 1);
        if (constraint) acceptConstrained(constraint, next.token);
        const wantMore = tokens.length + 1 < maxTokens && !constraint?.complete;
        const result = await this.#append([next.token], { ...(wantMore ? sampleOptions : {}), signal });
        const score = result.surprisal[0] as number;
        this.#record([next.token], [score], role);
        this.#generated++;
        tokens.push(next.token);
        surprisal.push(score);
        const text = stream.push(next.token); // before the optional call: its arguments may not run
        onToken?.({ token: next.token, surprisal: score, text });
        if (stream.stopped) {
          finishReason = 'stop-sequence';
          break;
        }
        if (constraint?.complete) {
          finishReason = 'constraint-complete';
          break;
        }
        if (!wantMore) break;
        next = requireNext(result);
      }
      const rest = stream.flush();
      if (rest) onToken?.({ token: -1, surprisal: 0, text: rest });
      return finish();
    } catch (error) {
      throw asAbort(error, signal, 'generate', { tokens: [...tokens], text: stream.text });
    }
  }

  /**
   * Appends and checks the result against the seam's contract. A result that breaks it is rolled back
   * (the backend keeps only what the ledger records) before the `BackendError` is thrown.
   */
  async #append(tokens: readonly number[], options: AppendOptions): Promise<AppendResult> {
    const result = await this.#sequence.append(tokens, options);
    try {
      checkedSurprisal(result, tokens.length);
    } catch (error) {
      await this.#sequence.retain(identityIndices(this.#ledger.length));
      throw error;
    }
    return result;
  }

  /** Largest chunk that fits beside the tokens evictions must keep. */
  #largestChunk(): number {
    const { policy, capacity, chunkSize, protectRecent } = this.#options;
    const mandatory = policy.evicts ? policy.sinks + policy.recent + protectRecent : 0;
    return Math.max(1, Math.min(chunkSize, capacity - mandatory));
  }

  /**
   * Evicts so that `incoming` more tokens fit. With `minimumFree`, room is only made when fewer than
   * `minimumFree` cells are free (generation frees `decodeHeadroom` cells once the cache is full).
   */
  async #makeRoom(incoming: number, protectNewest: number, minimumFree = incoming): Promise<void> {
    const { capacity, policy } = this.#options;
    if (this.#ledger.length + minimumFree <= capacity) return;
    const largestIncoming = capacity - policy.sinks - Math.max(policy.recent, protectNewest);
    const request = { capacity, incoming: Math.min(incoming, largestIncoming), protectNewest };
    const keep = policy.select(this.#ledger, request);
    if (keep.length === this.#ledger.length) return;
    await this.#sequence.retain(keep);
    this.#evicted += this.#ledger.length - keep.length;
    this.#evictions++;
    this.#ledger.retain(keep);
  }

  #record(tokens: ArrayLike<number>, scores: ArrayLike<number>, role: TokenRole): void {
    this.#ledger.append({
      tokens,
      scores,
      turn: Math.max(this.#turn, 0),
      role,
      firstStreamPosition: this.#transcript.length,
    });
    this.#transcript.append(tokens, role);
  }

  #startTurnIfNone(): void {
    if (this.#turn < 0) this.#turn = 0;
  }

  async #exclusive<T>(operation: string, run: () => Promise<T>): Promise<T> {
    if (this.#disposed) throw new DisposedError({ resource: 'memory session' });
    if (this.#running !== undefined) throw new SessionBusyError({ operation, running: this.#running });
    this.#running = operation;
    try {
      return await run();
    } finally {
      this.#running = undefined;
    }
  }
}

/** Advances a constrained generation past a token the backend picked, which the constraint must allow. */
function acceptConstrained(constraint: ConstraintState, token: number): void {
  if (!constraint.allows(token)) {
    throw new BackendError(`append() picked token ${token}, which the sampling constraint does not allow.`);
  }
  constraint.accept(token);
}

function requireNext(result: AppendResult): { token: number; surprisal: number } {
  if (result.next === undefined) throw new BackendError('append() ignored the sample option.');
  return result.next;
}

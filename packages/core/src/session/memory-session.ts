import { AbortedError, throwIfAborted } from '../errors/aborted-error.js';
import { BackendError } from '../errors/backend-error.js';
import { CapacityExceededError } from '../errors/capacity-exceeded-error.js';
import { DisposedError } from '../errors/disposed-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { PositionShiftUnsupportedError } from '../errors/position-shift-unsupported-error.js';
import { SessionBusyError } from '../errors/session-busy-error.js';
import { TokenLedger } from '../ledger/token-ledger.js';
import { type TokenRole, tokenRoles } from '../ledger/token-role.js';
import type { RetentionPolicy } from '../policies/retention-policy.js';
import type { KVBackend } from '../seam/kv-backend.js';
import type { AppendResult, KVSequence } from '../seam/kv-sequence.js';
import { requireInteger } from '../validation/require.js';
import type {
  FinishReason,
  GenerateOptions,
  GenerateResult,
  IngestOptions,
  IngestResult,
} from './generate-options.js';
import { policyFromSnapshot } from './policy-from-snapshot.js';
import {
  type MemorySessionOptions,
  type ResolvedSessionOptions,
  type RestoreSessionOptions,
  resolveSessionOptions,
} from './session-options.js';
import { decodeSessionSnapshot, encodeSessionSnapshot } from './session-snapshot.js';
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
   * snapshot throws `InvalidOptionError` and nothing is created. The policy defaults to the built-in
   * one recorded in the snapshot; pass `policy` for `random` or your own policies (same name required).
   */
  static async restore(options: RestoreSessionOptions): Promise<MemorySession> {
    const contents = decodeSessionSnapshot(options.snapshot);
    const { backend } = options;
    if (backend?.info?.fingerprint !== contents.fingerprint) {
      throw new InvalidOptionError({
        option: 'snapshot',
        value: contents.fingerprint,
        expected: `a snapshot of the loaded model "${backend?.info?.name}" (fingerprint ${backend?.info?.fingerprint})`,
      });
    }
    if (typeof backend.restoreSequence !== 'function') {
      throw new InvalidOptionError({
        option: 'backend',
        value: backend.info.name,
        expected: 'a backend that implements restoreSequence() (this one cannot restore snapshots)',
      });
    }
    const policy = options.policy ?? policyFromSnapshot(contents.policy);
    if (policy.name !== contents.policy.name) {
      throw new InvalidOptionError({
        option: 'policy',
        value: policy.name,
        expected: `the policy the snapshot was taken with ("${contents.policy.name}")`,
      });
    }
    const resolved = resolveSessionOptions({ ...options, capacity: contents.capacity, policy });
    const sequence = await backend.restoreSequence(contents.sequence, { capacity: contents.capacity });
    if (sequence.length !== contents.ledger.tokens.length) {
      await sequence.dispose();
      throw new BackendError(
        `restoreSequence() restored ${sequence.length} tokens, but the snapshot's ledger holds ${contents.ledger.tokens.length}.`,
      );
    }
    const session = new MemorySession(
      resolved,
      sequence,
      Transcript.fromCodes(contents.transcript.tokens, contents.transcript.roles),
    );
    session.#ledger.load(contents.ledger);
    session.#turn = contents.turn;
    session.#evicted = contents.counters.evicted;
    session.#evictions = contents.counters.evictions;
    session.#ingested = contents.counters.ingested;
    session.#generated = contents.counters.generated;
    return session;
  }

  /**
   * The whole session — the backend's cache, the ledger with its scores, the transcript, the counters
   * and the policy's settings — as bytes for `MemorySession.restore`. Take it between operations.
   */
  async snapshot(): Promise<Uint8Array> {
    return this.#exclusive('snapshot', async () => {
      if (typeof this.#sequence.snapshot !== 'function') {
        throw new InvalidOptionError({
          option: 'backend',
          value: this.backend.info.name,
          expected: 'a backend whose sequences implement snapshot() (this one cannot save snapshots)',
        });
      }
      const sequence = await this.#sequence.snapshot();
      const { policy } = this.#options;
      const length = this.#ledger.length;
      return encodeSessionSnapshot({
        fingerprint: this.backend.info.fingerprint,
        capacity: this.capacity,
        policy: { name: policy.name, sinks: policy.sinks, recent: policy.recent, decay: policy.decay },
        turn: this.#turn,
        counters: {
          evicted: this.#evicted,
          evictions: this.#evictions,
          ingested: this.#ingested,
          generated: this.#generated,
        },
        ledger: {
          tokens: this.#ledger.tokens.slice(0, length),
          scores: this.#ledger.scores.slice(0, length),
          turns: this.#ledger.turns.slice(0, length),
          roles: this.#ledger.roles.slice(0, length),
          streamPositions: this.#ledger.streamPositions.slice(0, length),
        },
        transcript: {
          tokens: Int32Array.from(this.#transcript.tokens()),
          roles: this.#transcript.roleCodes(),
        },
        sequence,
      });
    });
  }

  get backend(): KVBackend {
    return this.#options.backend;
  }

  get policy(): RetentionPolicy {
    return this.#options.policy;
  }

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

  get disposed(): boolean {
    return this.#disposed;
  }

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
    await this.#exclusive('beginTurn', async () => {
      await this.#makeRoom(Math.min(incoming, this.#largestChunk()), 0);
      this.#ledger.decay(this.#options.policy.decay);
      this.#turn++;
    });
  }

  /**
   * Feeds input tokens (or text, tokenized by the backend) after the resident ones, in chunks; a turn
   * longer than the whole cache works, evicting between chunks. On abort, the chunks already fed stay
   * and an `AbortedError` reports them in `partial`.
   */
  async ingest(input: string | readonly number[], options: IngestOptions = {}): Promise<IngestResult> {
    const role = validateRole(options.role ?? 'user');
    const tokens =
      typeof input === 'string'
        ? this.#options.backend.tokenize(input, { special: options.special ?? false })
        : validateTokens(input, this.#options.backend.info.vocabularySize);
    return this.#exclusive('ingest', async () => {
      const { policy, capacity } = this.#options;
      if (!policy.evicts && this.#ledger.length + tokens.length > capacity) {
        throw new CapacityExceededError({
          capacity,
          requested: this.#ledger.length + tokens.length,
          hint: `Policy "${policy.name}" never evicts and the input does not fit; nothing was fed.`,
        });
      }
      this.#startTurnIfNone();
      const surprisal = new Float32Array(tokens.length);
      let fed = 0;
      try {
        while (fed < tokens.length) {
          throwIfAborted(options.signal, 'ingest');
          const chunk = tokens.slice(fed, fed + this.#largestChunk());
          await this.#makeRoom(chunk.length, this.#options.protectRecent);
          const result = await this.#sequence.append(chunk, { signal: options.signal });
          this.#record(chunk, checkedSurprisal(result, chunk.length), role);
          surprisal.set(result.surprisal, fed);
          fed += chunk.length;
          this.#ingested += chunk.length;
        }
      } catch (error) {
        throw asAbort(error, options.signal, 'ingest', { tokens: tokens.slice(0, fed), text: '' });
      }
      return { tokens, surprisal };
    });
  }

  /**
   * Generates a response after the resident tokens. Each generated token is fed to the cache and enters
   * the ledger with its surprisal; when the cache fills, `decodeHeadroom` cells are freed at once.
   */
  async generate(options: GenerateOptions = {}): Promise<GenerateResult> {
    const maxTokens = requireInteger('maxTokens', options.maxTokens ?? 256, { minimum: 0 });
    const role = validateRole(options.role ?? 'assistant');
    const stop = validateStops(options.stop ?? []);
    const { backend } = this.#options;
    const endTokens = new Set([...backend.info.specialTokens.endOfGeneration, ...(options.stopTokens ?? [])]);
    const sample = options.sampling ?? {};
    return this.#exclusive('generate', async () => {
      this.#startTurnIfNone();
      const stream = new TextStream((tokens) => backend.detokenize(tokens), stop);
      const tokens: number[] = [];
      const surprisal: number[] = [];
      let finishReason: FinishReason = 'max-tokens';
      let endToken: number | undefined;
      try {
        if (maxTokens === 0) return finish();
        throwIfAborted(options.signal, 'generate');
        if (this.#ledger.length === 0) {
          throw new InvalidOptionError({
            option: 'generate()',
            value: 0,
            expected: 'at least one resident token to continue from; ingest a prompt first',
          });
        }
        let next = (await this.#sequence.append([], { sample, signal: options.signal })).next;
        while (next !== undefined) {
          if (endTokens.has(next.token)) {
            finishReason = 'end-of-generation';
            endToken = next.token;
            break;
          }
          throwIfAborted(options.signal, 'generate');
          await this.#makeRoom(this.#options.decodeHeadroom, this.#options.protectRecent, 1);
          const wantMore = tokens.length + 1 < maxTokens;
          const result = await this.#sequence.append([next.token], {
            ...(wantMore ? { sample } : {}),
            signal: options.signal,
          });
          const score = checkedSurprisal(result, 1)[0] as number;
          this.#record([next.token], [score], role);
          this.#generated++;
          tokens.push(next.token);
          surprisal.push(score);
          const text = stream.push(next.token);
          options.onToken?.({ token: next.token, surprisal: score, text });
          if (stream.stopped) {
            finishReason = 'stop-sequence';
            break;
          }
          next = wantMore ? result.next : undefined;
          if (wantMore && next === undefined) throw new BackendError('append() ignored the sample option.');
        }
        const rest = stream.flush();
        if (rest && finishReason !== 'stop-sequence')
          options.onToken?.({ token: -1, surprisal: 0, text: rest });
        return finish();
      } catch (error) {
        throw asAbort(error, options.signal, 'generate', { tokens: [...tokens], text: stream.text });
      }

      function finish(): GenerateResult {
        return {
          text: stream.text,
          tokens,
          surprisal: Float32Array.from(surprisal),
          finishReason,
          ...(endToken === undefined ? {} : { endToken }),
        };
      }
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

  /** One whole turn: `beginTurn`, `ingest(input)`, `generate(options)`. */
  async respond(
    input: string | readonly number[],
    options: GenerateOptions & { inputRole?: TokenRole; special?: boolean } = {},
  ): Promise<GenerateResult> {
    const tokens =
      typeof input === 'string'
        ? this.#options.backend.tokenize(input, { special: options.special ?? false })
        : input;
    await this.beginTurn({ incoming: tokens.length });
    await this.ingest(tokens, { role: options.inputRole ?? 'user', signal: options.signal });
    return this.generate(options);
  }

  /** Frees the backend sequence. Idempotent; every later call throws `DisposedError`. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#sequence.dispose();
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

function validateRole(role: TokenRole): TokenRole {
  if (!tokenRoles.includes(role)) {
    throw new InvalidOptionError({
      option: 'role',
      value: role,
      expected: `one of ${tokenRoles.join(', ')}`,
    });
  }
  return role;
}

function validateTokens(input: readonly number[], vocabularySize: number): number[] {
  if (!Array.isArray(input) && !ArrayBuffer.isView(input)) {
    throw new InvalidOptionError({
      option: 'input',
      value: input,
      expected: 'a string or an array of token ids',
    });
  }
  const tokens = Array.from(input);
  for (const token of tokens) {
    if (!Number.isInteger(token) || token < 0 || token >= vocabularySize) {
      throw new InvalidOptionError({
        option: 'input',
        value: token,
        expected: `token ids that are integers in [0, ${vocabularySize})`,
      });
    }
  }
  return tokens;
}

function validateStops(stop: readonly string[]): readonly string[] {
  if (!Array.isArray(stop) || stop.some((entry) => typeof entry !== 'string' || entry.length === 0)) {
    throw new InvalidOptionError({ option: 'stop', value: stop, expected: 'an array of non-empty strings' });
  }
  return stop;
}

function checkedSurprisal(result: AppendResult, count: number): Float32Array {
  const { surprisal } = result;
  if (!(surprisal instanceof Float32Array) || surprisal.length !== count) {
    throw new BackendError(
      `append() returned ${surprisal?.length ?? 'no'} surprisal values for ${count} tokens.`,
    );
  }
  for (const value of surprisal) {
    if (Number.isNaN(value) || value < 0) {
      throw new BackendError(
        `append() returned an invalid surprisal (${value}); the model output may be broken.`,
      );
    }
  }
  return surprisal;
}

function asAbort(
  error: unknown,
  signal: AbortSignal | undefined,
  operation: string,
  partial: { tokens: readonly number[]; text: string },
): unknown {
  if (signal?.aborted && !(error instanceof AbortedError && error.partial)) {
    return new AbortedError({ operation, partial, cause: signal.reason });
  }
  return error;
}

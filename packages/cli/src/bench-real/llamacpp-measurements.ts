import { MemorySession, sirllm } from '@sirllm/core';
import type { LlamaCppBackend } from '@sirllm/llamacpp';
import type { Llama, LlamaContextOptions, Token } from 'node-llama-cpp';
import { markdownTable } from '../commands/measure.js';
import type { RealGgufType } from './model-cache.js';
import { cacheBytes, outputLayerFloor, type RealShape } from './real-shapes.js';
import {
  benchTokens,
  keepWithGaps,
  mebibytes,
  medianTime,
  milliseconds,
  plainCopyTime,
  ratio,
  residentBytes,
  timeOnce,
} from './timing.js';

/** KV cache element types the benchmark can ask llama.cpp for (f16 is the backend's default). */
export type RealKeyValueCacheType = 'f16' | 'f32';

/** One llama.cpp model file to measure. */
export interface LlamaCppSubject {
  readonly shape: RealShape;
  readonly type: RealGgufType;
  readonly modelPath: string;
  readonly llama: Llama;
  readonly threads: number;
  readonly kvCacheType: RealKeyValueCacheType;
  readonly quick: boolean;
}

/** Sizes of the llama.cpp measurements, full and quick. */
export function llamaCppSizes(quick: boolean) {
  return quick
    ? { prefillTokens: 128, runs: 1, histories: [1024], turns: 1, stateTokens: 512 }
    : { prefillTokens: 512, runs: 3, histories: [1024, 2048, 4096], turns: 3, stateTokens: 1024 };
}

const newTokens = 64;
const generatedTokens = 16;
const retainRanges = 100;

/**
 * Every llama.cpp measurement of one model file, each a ratio to a baseline measured in the same run:
 * prefill with surprisal vs plain evaluation; a `MemorySession` turn vs re-prefilling the history;
 * snapshot and restore vs re-prefilling; `retain` vs a plain copy of the kept cache bytes; resident
 * memory. Calls `report` with each table as soon as it is measured.
 */
export async function measureLlamaCpp(
  subject: LlamaCppSubject,
  report: (text: string) => void,
): Promise<void> {
  const { createLlamaCppBackend } = await import('@sirllm/llamacpp');
  const sizes = llamaCppSizes(subject.quick);
  const { shape, threads } = subject;
  const contextSize = Math.max(...sizes.histories, sizes.stateTokens + 2, sizes.prefillTokens);
  const residentBefore = residentBytes();
  const backend = await createLlamaCppBackend({
    modelPath: subject.modelPath,
    llama: subject.llama,
    threads,
    contextSize,
    ...(subject.kvCacheType === 'f16' ? {} : { kvCacheType: subject.kvCacheType }),
  });
  const residentWithBackend = residentBytes();
  const plainOptions: LlamaContextOptions = {
    threads,
    flashAttention: false,
    batchSize: Math.min(contextSize, 512),
    ...(subject.kvCacheType === 'f16'
      ? {}
      : { experimentalKvCacheKeyType: 'F32', experimentalKvCacheValueType: 'F32' }),
  };
  const plainContext = await backend.model.createContext({ ...plainOptions, contextSize: contextSize + 8 });
  const plain = plainContext.getSequence();
  const title = `${shape.label}, GGUF ${subject.type.toUpperCase()}, KV cache ${subject.kvCacheType.toUpperCase()}, ${threads} thread${threads === 1 ? '' : 's'}`;
  try {
    report(`\n### llama.cpp — ${title}\n`);
    report(await prefill(subject, backend, plain, sizes));
    report(await turns(subject, backend, plain, sizes));
    report(await stateAndRetain(subject, backend, plain, sizes, { residentBefore, residentWithBackend }));
  } finally {
    await plainContext.dispose();
    await backend.dispose();
  }
}

type Sizes = ReturnType<typeof llamaCppSizes>;
type PlainSequence = ReturnType<
  Awaited<ReturnType<LlamaCppBackend['model']['createContext']>>['getSequence']
>;

async function prefill(
  subject: LlamaCppSubject,
  backend: LlamaCppBackend,
  plain: PlainSequence,
  sizes: Sizes,
): Promise<string> {
  const { shape } = subject;
  const tokens = benchTokens(2, sizes.prefillTokens, shape.vocabularySize);
  const plainMs = await medianTime(
    async () => {
      await plain.clearHistory();
      await plain.evaluateWithoutGeneratingNewTokens(tokens as Token[]);
    },
    { runs: sizes.runs },
  );
  const sequence = await backend.createSequence({ capacity: tokens.length });
  const appendMs = await medianTime(
    async () => {
      await sequence.retain(new Uint32Array(0));
      await sequence.append(tokens);
    },
    { runs: sizes.runs },
  );
  await sequence.dispose();
  const floor = outputLayerFloor(shape);
  return [
    `Prefill of ${tokens.length} tokens: append with surprisal vs plain evaluation (evaluateWithoutGeneratingNewTokens), median of ${sizes.runs}`,
    '',
    markdownTable(
      [
        'plain',
        'append with surprisal',
        'ratio',
        'FLOP floor',
        'ratio / floor',
        'ms/token plain',
        'extra ms/token',
      ],
      [
        [
          milliseconds(plainMs),
          milliseconds(appendMs),
          ratio(appendMs / plainMs),
          ratio(floor),
          ratio(appendMs / plainMs / floor),
          (plainMs / tokens.length).toFixed(2),
          ((appendMs - plainMs) / tokens.length).toFixed(2),
        ],
      ],
    ),
  ].join('\n');
}

async function turns(
  subject: LlamaCppSubject,
  backend: LlamaCppBackend,
  plain: PlainSequence,
  sizes: Sizes,
): Promise<string> {
  const { shape } = subject;
  const rows: string[][] = [];
  for (const history of sizes.histories) {
    const session = await MemorySession.create({
      backend,
      capacity: history,
      policy: sirllm({ sinks: 4, decay: 0.9 }),
      chunkSize: 512,
    });
    const fill = benchTokens(4, history, shape.vocabularySize);
    const fillMs = await timeOnce(async () => {
      await session.beginTurn({ incoming: fill.length });
      await session.ingest(fill);
    });
    let seed = 10;
    const turnMs = await medianTime(
      async () => {
        const input = benchTokens(seed++, newTokens, shape.vocabularySize);
        await session.beginTurn({ incoming: input.length });
        await session.ingest(input);
        await session.generate({ maxTokens: generatedTokens, sampling: { temperature: 0 }, stopTokens: [] });
      },
      { runs: sizes.turns },
    );
    await session.dispose();
    const window = benchTokens(5, history - generatedTokens, shape.vocabularySize);
    const reprefillMs = await medianTime(
      async () => {
        await plain.clearHistory();
        let generated = 0;
        for await (const _token of plain.evaluate(window as Token[], { temperature: 0 })) {
          if (++generated >= generatedTokens) break;
        }
      },
      { runs: sizes.turns, warmups: 0 },
    );
    rows.push([
      history.toLocaleString('en-US'),
      milliseconds(turnMs),
      milliseconds(reprefillMs),
      `×${(reprefillMs / turnMs).toFixed(1)}`,
      `${milliseconds(fillMs)} (${(fillMs / history).toFixed(2)} ms/token)`,
    ]);
  }
  return [
    '',
    `A turn (${newTokens} new tokens + ${generatedTokens} generated, MemorySession with sirllm({ sinks: 4, decay: 0.9 }), cache full so every turn evicts) vs re-prefilling the history (plain evaluation of history − ${generatedTokens} tokens + ${generatedTokens} generated), median of ${sizes.turns}`,
    '',
    markdownTable(['history tokens', 'turn', 're-prefill', 'speed-up', 'filling the session first'], rows),
  ].join('\n');
}

async function stateAndRetain(
  subject: LlamaCppSubject,
  backend: LlamaCppBackend,
  plain: PlainSequence,
  sizes: Sizes,
  resident: { residentBefore: number; residentWithBackend: number },
): Promise<string> {
  const { shape } = subject;
  const count = sizes.stateTokens;
  const tokens = benchTokens(6, count, shape.vocabularySize);
  const residentEmpty = residentBytes();
  const sequence = await backend.createSequence({ capacity: count + 2 });
  await sequence.append(tokens);
  const residentFilled = residentBytes();
  const snapshot = await sequence.snapshot();
  const snapshotMs = await medianTime(() => sequence.snapshot(), { runs: sizes.runs });
  await sequence.dispose();
  const restoreMs = await medianTime(
    async () => {
      const restored = await backend.restoreSequence(snapshot, { capacity: count + 2 });
      await restored.dispose();
    },
    { runs: sizes.runs },
  );
  const reprefillMs = await medianTime(
    async () => {
      await plain.clearHistory();
      await plain.evaluateWithoutGeneratingNewTokens(tokens as Token[]);
    },
    { runs: sizes.runs, warmups: 0 },
  );
  const keep = keepWithGaps(count, retainRanges);
  const elementBytes = subject.kvCacheType === 'f32' ? 4 : 2;
  const copyBytes = cacheBytes(shape, keep.length, elementBytes);
  const retainTimes: number[] = [];
  const decodeTimes: number[] = [];
  const plainDecodeTimes: number[] = [];
  for (let run = 0; run < sizes.runs + 1; run++) {
    const restored = await backend.restoreSequence(snapshot, { capacity: count + 2 });
    const plainDecodeMs = await timeOnce(() => restored.append([2], { argmax: true }));
    const retainMs = await timeOnce(() => restored.retain(keep));
    const decodeMs = await timeOnce(() => restored.append([1]));
    await restored.dispose();
    if (run > 0) {
      retainTimes.push(retainMs);
      decodeTimes.push(decodeMs);
      plainDecodeTimes.push(plainDecodeMs);
    }
  }
  const copyMs = await plainCopyTime(copyBytes);
  const middle = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const retainMs = middle(retainTimes);
  const decodeMs = middle(decodeTimes);
  const plainDecodeMs = middle(plainDecodeTimes);
  const kvBytes = cacheBytes(shape, count, elementBytes);
  return [
    '',
    `State of ${count} tokens: snapshot and restore vs re-prefilling them (plain evaluation), median of ${sizes.runs}`,
    '',
    markdownTable(
      ['snapshot size', 'KV bytes (shape)', 'snapshot', 'restore', 're-prefill', 'restore speed-up'],
      [
        [
          mebibytes(snapshot.byteLength),
          mebibytes(kvBytes),
          milliseconds(snapshotMs),
          milliseconds(restoreMs),
          milliseconds(reprefillMs),
          `×${(reprefillMs / restoreMs).toFixed(1)}`,
        ],
      ],
    ),
    '',
    `retain: ${count} → ${keep.length} tokens (a quarter evicted in ${retainRanges} ranges, token 0 kept) + the next one-token decode (which re-rotates shifted keys) vs a Buffer.copy of the kept cache bytes (layers × 2 × KV heads × head size × kept × ${elementBytes} B = ${mebibytes(copyBytes)}), median of ${sizes.runs}`,
    '',
    markdownTable(
      [
        'retain',
        'next decode',
        'a decode without retain',
        'retain + decode',
        'plain copy',
        'retain / copy',
        '(retain + decode) / copy',
      ],
      [
        [
          milliseconds(retainMs),
          milliseconds(decodeMs),
          milliseconds(plainDecodeMs),
          milliseconds(retainMs + decodeMs),
          milliseconds(copyMs),
          ratio(retainMs / copyMs),
          ratio((retainMs + decodeMs) / copyMs),
        ],
      ],
    ),
    '',
    'Resident memory (process RSS; the GGUF is memory-mapped, so pages count as they are touched; the backend allocates its KV cache with the context, so filling a sequence adds little)',
    '',
    markdownTable(
      ['backend (model + context) added', `a sequence of ${count} tokens added`, 'state size (snapshot)'],
      [
        [
          mebibytes(resident.residentWithBackend - resident.residentBefore),
          mebibytes(residentFilled - residentEmpty),
          mebibytes(snapshot.byteLength),
        ],
      ],
    ),
  ].join('\n');
}

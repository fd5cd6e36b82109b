import { join } from 'node:path';
import { markdownTable } from '../commands/measure.js';
import { onnxWeightType } from './model-cache.js';
import { cacheBytes, outputLayerFloor, type RealShape } from './real-shapes.js';
import {
  benchTokens,
  keepWithGaps,
  mebibytes,
  median,
  medianTime,
  milliseconds,
  plainCopyTime,
  ratio,
  timeOnce,
} from './timing.js';

/** The ONNX folder of a real shape to measure on transformers.js. */
export interface TransformersSubject {
  readonly shape: RealShape;
  readonly folder: string;
  readonly threads: number;
  readonly quick: boolean;
}

/** Sizes of the transformers.js measurements, full and quick. */
export function transformersSizes(quick: boolean) {
  return quick
    ? { prefillTokens: 32, runs: 1, stateTokens: 128 }
    : { prefillTokens: 128, runs: 3, stateTokens: 512 };
}

const retainRanges = 100;

/**
 * transformers.js at a real shape: prefill with surprisal (`append`, one chunk) vs a plain forward of the
 * same tokens through the same ONNX file (AutoModelForCausalLM, no scoring, no bookkeeping), and
 * `retain` (gather + key re-rotation in JavaScript) vs a plain copy of the kept cache bytes, for a
 * float32 and a float16 cache. The testkit writes no q8 ONNX, so q8 is not measured.
 */
export async function measureTransformers(
  subject: TransformersSubject,
  report: (text: string) => void,
): Promise<void> {
  const { createTransformersBackend } = await import('@sirllm/transformers');
  const { shape, threads } = subject;
  const sizes = transformersSizes(subject.quick);
  report(
    `\n### transformers.js — ${shape.label}, ONNX with ${onnxWeightType(shape)}-stored weights (float32 compute), ${threads} thread${threads === 1 ? '' : 's'}\n`,
  );
  report(
    `${onnxWeightType(shape) === 'float16' ? 'float32 weights would not fit protobuf’s 2 GiB limit (the testkit writes initializers inline), so the matrices are stored as float16 and cast to float32 in the graph. ' : ''}q8 ONNX: not measured — the testkit writes no q8 ONNX file.\n`,
  );
  const tokens = benchTokens(8, sizes.prefillTokens, shape.vocabularySize);
  const backend = await createTransformersBackend({
    model: subject.folder,
    dtype: 'fp32',
    threads,
    chunkSize: tokens.length,
  });
  try {
    const plainMs = await plainForwardTime(subject, tokens, sizes.runs);
    const appendMs = await medianTime(
      async () => {
        const sequence = await backend.createSequence({ capacity: tokens.length });
        await sequence.append(tokens);
        await sequence.dispose();
      },
      { runs: sizes.runs },
    );
    report(
      [
        `Prefill of ${tokens.length} tokens (one chunk): append with surprisal vs a plain forward (float32 cache), median of ${sizes.runs}. The ONNX graph computes the logits of every position in both (it has no last-position-only output), so the output-layer floor (${ratio(outputLayerFloor(shape))} on llama.cpp) does not apply here: the ratio is the cost of the surprisal arithmetic and the cache bookkeeping alone.`,
        '',
        markdownTable(
          [
            'plain forward',
            'append with surprisal',
            'ratio',
            'extra ms/token',
            'surprisal ns/logit (extra / positions × vocabulary)',
          ],
          [
            [
              milliseconds(plainMs),
              milliseconds(appendMs),
              ratio(appendMs / plainMs),
              ((appendMs - plainMs) / tokens.length).toFixed(2),
              (((appendMs - plainMs) * 1e6) / (tokens.length * shape.vocabularySize)).toFixed(2),
            ],
          ],
        ),
      ].join('\n'),
    );
  } finally {
    await backend.dispose();
  }
  const rows: string[][] = [];
  for (const [dtype, cacheType, elementBytes] of [
    ['fp32', 'float32', 4],
    ['fp16', 'float16', 2],
  ] as const) {
    rows.push(await compaction(subject, dtype, cacheType, elementBytes, sizes));
  }
  report(
    [
      '',
      `retain: ${sizes.stateTokens} → ${keepWithGaps(sizes.stateTokens, retainRanges).length} tokens (a quarter evicted in ${retainRanges} ranges, token 0 kept; gather + re-rotation of shifted keys, the backend's default per cache type) vs a Buffer.copy of the kept keys and values, median of ${sizes.runs + 1}`,
      '',
      markdownTable(['cache', 'kept cache bytes', 'retain', 'plain copy', 'retain / copy'], rows),
    ].join('\n'),
  );
}

async function compaction(
  subject: TransformersSubject,
  dtype: 'fp32' | 'fp16',
  cacheType: string,
  elementBytes: number,
  sizes: ReturnType<typeof transformersSizes>,
): Promise<string[]> {
  const { createTransformersBackend } = await import('@sirllm/transformers');
  const { shape } = subject;
  const count = sizes.stateTokens;
  const backend = await createTransformersBackend({
    model: subject.folder,
    dtype,
    threads: subject.threads,
    chunkSize: 128,
  });
  try {
    const sequence = await backend.createSequence({ capacity: count });
    await sequence.append(benchTokens(9, count, shape.vocabularySize));
    const snapshot = await sequence.snapshot();
    await sequence.dispose();
    const keep = keepWithGaps(count, retainRanges);
    const times: number[] = [];
    for (let run = 0; run < sizes.runs + 2; run++) {
      const restored = await backend.restoreSequence(snapshot, { capacity: count });
      const retainMs = await timeOnce(() => restored.retain(keep));
      await restored.dispose();
      if (run > 0) times.push(retainMs);
    }
    const bytes = cacheBytes(shape, keep.length, elementBytes);
    const copyMs = await plainCopyTime(bytes);
    const retainMs = median(times);
    return [
      cacheType,
      mebibytes(bytes),
      milliseconds(retainMs),
      milliseconds(copyMs),
      ratio(retainMs / copyMs),
    ];
  } finally {
    await backend.dispose();
  }
}

/** A plain forward of `tokens` from an empty cache through the same ONNX file: logits and presents only. */
async function plainForwardTime(
  subject: TransformersSubject,
  tokens: number[],
  runs: number,
): Promise<number> {
  const { AutoModelForCausalLM, Tensor, env } = await import('@huggingface/transformers');
  const saved = { allowRemoteModels: env.allowRemoteModels, localModelPath: env.localModelPath };
  env.allowRemoteModels = false;
  env.localModelPath = `${join(subject.folder, '..')}/`;
  const name = subject.folder.slice(subject.folder.lastIndexOf('/') + 1);
  const model = await AutoModelForCausalLM.from_pretrained(name, {
    dtype: 'fp32',
    device: 'cpu',
    session_options: { intraOpNumThreads: subject.threads, interOpNumThreads: 1 },
  });
  Object.assign(env, saved);
  const column = (values: bigint[]) => new Tensor('int64', BigInt64Array.from(values), [1, values.length]);
  const inputs = {
    input_ids: column(tokens.map(BigInt)),
    attention_mask: column(tokens.map(() => 1n)),
    position_ids: column(tokens.map((_, i) => BigInt(i))),
  };
  try {
    return await medianTime(() => model.forward(inputs), { runs });
  } finally {
    await model.dispose();
  }
}

import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import {
  createTinyLlama,
  type TinyLlamaModel,
  tinyLlamaToGguf,
  transformersModelFiles,
} from '@sirllm/testkit';
import { parameterCount, type RealShape, shapeModelOptions } from './real-shapes.js';

/** GGUF matrix storage the real-shape benchmark writes. */
export type RealGgufType = 'f16' | 'q8_0';

export const realGgufTypes: readonly RealGgufType[] = ['f16', 'q8_0'];

/** Where the generated models live: `.cache/real-shapes/` under the working directory (git-ignored). */
export function defaultCacheFolder(): string {
  return join(process.cwd(), '.cache', 'real-shapes');
}

/** Bump when the generated files would change, so stale caches are not reused. */
const cacheVersion = 'v1';

export function ggufPath(folder: string, shape: RealShape, type: RealGgufType): string {
  return join(folder, `${shape.name}-${type}-${cacheVersion}.gguf`);
}

export function onnxFolder(folder: string, shape: RealShape): string {
  return join(folder, `${shape.name}-onnx-${cacheVersion}`);
}

/** protobuf refuses messages over 2 GiB; the ONNX writer keeps initializers inline. */
const protobufLimit = 2 ** 31;

/**
 * The element type of the ONNX weights: float32 when the inline initializers (the tied embedding is
 * stored twice: as the embedding table and as the transposed output layer) fit protobuf's 2 GiB,
 * else float16-stored weights (computed in float32 after a Cast).
 */
export function onnxWeightType(shape: RealShape): 'float32' | 'float16' {
  const stored = parameterCount(shape) + shape.vocabularySize * shape.hiddenSize;
  return 4 * stored < protobufLimit ? 'float32' : 'float16';
}

/** One generation step, for the report. */
export interface GenerationTiming {
  readonly what: string;
  readonly milliseconds: number;
  readonly bytes?: number;
}

/**
 * Writes what is missing of `shape`'s files (GGUF F16 and Q8_0; with `onnx`, an ONNX folder holding a
 * float32-cache `model.onnx` and a float16-cache `model_fp16.onnx`), drawing the random weights once.
 * Files are written under a temporary name and renamed, so an interrupted run leaves no partial model.
 */
export function ensureShapeFiles(
  folder: string,
  shape: RealShape,
  { types, onnx, log }: { types: readonly RealGgufType[]; onnx: boolean; log: (line: string) => void },
): GenerationTiming[] {
  const missingTypes = types.filter((type) => !existsSync(ggufPath(folder, shape, type)));
  const onnxMissing = onnx && !existsSync(join(onnxFolder(folder, shape), 'config.json'));
  if (missingTypes.length === 0 && !onnxMissing) return [];
  mkdirSync(folder, { recursive: true });
  const timings: GenerationTiming[] = [];
  const timed = <T>(what: string, work: () => T, size?: (result: T) => number): T => {
    log(`generating ${what} …`);
    const start = performance.now();
    const result = work();
    const milliseconds = performance.now() - start;
    const bytes = size?.(result);
    timings.push({ what, milliseconds, ...(bytes === undefined ? {} : { bytes }) });
    log(
      `  ${(milliseconds / 1000).toFixed(1)} s${bytes === undefined ? '' : `, ${(bytes / 2 ** 30).toFixed(2)} GiB`}`,
    );
    return result;
  };
  const model = timed(
    `${shape.name} weights (${(parameterCount(shape) / 1e6).toFixed(0)} M parameters, float32)`,
    () => createTinyLlama(shapeModelOptions(shape)),
  );
  for (const type of missingTypes) {
    const path = ggufPath(folder, shape, type);
    timed(
      `${shape.name} GGUF ${type.toUpperCase()}`,
      () =>
        writeAtomically(
          path,
          tinyLlamaToGguf(model, { tensorType: type, name: `sirllm-real-shape-${shape.name}` }),
        ),
      (bytes) => bytes,
    );
  }
  if (onnxMissing) writeOnnxFolder(folder, shape, model, timed);
  return timings;
}

function writeOnnxFolder(
  folder: string,
  shape: RealShape,
  model: TinyLlamaModel,
  timed: <T>(what: string, work: () => T, size?: (result: T) => number) => T,
): void {
  const target = onnxFolder(folder, shape);
  const temporary = `${target}.partial`;
  rmSync(temporary, { recursive: true, force: true });
  const weightType = onnxWeightType(shape);
  for (const cacheType of ['float32', 'float16'] as const) {
    timed(
      `${shape.name} ONNX (${weightType} weights, ${cacheType} cache)`,
      () => {
        let bytes = 0;
        for (const [file, content] of transformersModelFiles(model, { weightType, cacheType })) {
          const path = join(temporary, file);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, content);
          bytes += typeof content === 'string' ? content.length : content.byteLength;
        }
        return bytes;
      },
      (bytes) => bytes,
    );
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(temporary, target);
}

/** One `write` call takes at most 2 GiB − 1 bytes; a Llama-3.2-1B F16 file is 2.3 GiB. */
const writePiece = 2 ** 30;

function writeAtomically(path: string, bytes: Uint8Array): number {
  const temporary = `${path}.partial`;
  const descriptor = openSync(temporary, 'w');
  try {
    for (let offset = 0; offset < bytes.byteLength; offset += writePiece) {
      const piece = bytes.subarray(offset, Math.min(bytes.byteLength, offset + writePiece));
      for (let written = 0; written < piece.byteLength; ) {
        written += writeSync(descriptor, piece, written);
      }
    }
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, path);
  return bytes.byteLength;
}

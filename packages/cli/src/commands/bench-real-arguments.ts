import { optionChoice, optionInteger, type ParsedArguments } from '../arguments/parse-arguments.js';
import { UsageError } from '../arguments/usage-error.js';
import type { RealKeyValueCacheType } from '../bench-real/llamacpp-measurements.js';
import { type RealGgufType, realGgufTypes } from '../bench-real/model-cache.js';
import { type RealShape, realShapes } from '../bench-real/real-shapes.js';

/** The real-shape benchmark's options from the command line (`quick` is the bench command's own). */
export interface RealBenchArguments {
  /** llama.cpp and ONNX Runtime threads (default 2). */
  readonly threads: number;
  /** The shapes measured (default both). */
  readonly shapes: readonly RealShape[];
  /** The GGUF matrix types measured (default F16 and Q8_0). */
  readonly types: readonly RealGgufType[];
  /** llama.cpp's KV cache type (default f16, the backend's default). */
  readonly kvCacheType: RealKeyValueCacheType;
  /** Whether transformers.js is measured (on the Qwen shape; default yes). */
  readonly transformers: boolean;
  /** Whether a CPU profile of the llama.cpp append path is written. */
  readonly profile: boolean;
}

export const realBenchUsage = `
Options of real (only with real / --real):
  --threads N              llama.cpp and ONNX Runtime threads (default 2)
  --shape NAME             ${realShapes.map((shape) => shape.name).join(' or ')} (default both)
  --type TYPE              GGUF matrices ${realGgufTypes.join(' or ')} (default both)
  --kv-cache-type TYPE     llama.cpp KV cache f16 (default, the backend's) or f32
  --no-transformers        llama.cpp only
  --profile                also write a V8 CPU profile of the llama.cpp append path (the file is named)
  --quick                  fewer tokens, histories (1k only) and repeats, marked "quick"`;

const realOnlyOptions = ['threads', 'shape', 'type', 'kv-cache-type', 'no-transformers', 'profile'];

/**
 * The real benchmark's options when it runs (`undefined` otherwise); `UsageError` for a real-only option
 * given to another benchmark, or a bad value.
 */
export function parseRealBenchArguments(
  parsed: ParsedArguments,
  isReal: boolean,
): RealBenchArguments | undefined {
  if (!isReal) {
    const stray = realOnlyOptions.find((name) => parsed.options.has(name));
    if (stray !== undefined) {
      throw new UsageError(
        'sirllm bench',
        `option "--${stray}" belongs to the real-shape benchmark (sirllm bench real, or --real)`,
      );
    }
    return undefined;
  }
  const command = 'sirllm bench';
  const threads = optionInteger(command, parsed, 'threads', { minimum: 1, maximum: 256 }) ?? 2;
  const shapeName = optionChoice(
    command,
    parsed,
    'shape',
    realShapes.map((shape) => shape.name),
  );
  const type = optionChoice(command, parsed, 'type', realGgufTypes);
  const kvCacheType = optionChoice(command, parsed, 'kv-cache-type', ['f16', 'f32'] as const) ?? 'f16';
  return {
    threads,
    shapes: shapeName === undefined ? realShapes : realShapes.filter((shape) => shape.name === shapeName),
    types: type === undefined ? realGgufTypes : [type],
    kvCacheType,
    transformers: !parsed.options.has('no-transformers'),
    profile: parsed.options.has('profile'),
  };
}

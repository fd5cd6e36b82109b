import { type KVBackend, PositionShiftUnsupportedError } from '@sirllm/core';
import { keyValueCacheTypes } from '@sirllm/eval';
import { optionChoice, optionInteger, optionText, parseArguments } from '../arguments/parse-arguments.js';
import { UsageError } from '../arguments/usage-error.js';
import { loadBackend } from '../backends/load-backend.js';
import { runSmokeTest, smokeQuestions } from '../check/smoke-test.js';
import type { CommandIo } from './command-io.js';

export const checkUsage = `Usage: sirllm check <model> [options]

Checks that a model works with SirLLM: loads it, reports its family, whether its cached keys can be moved
to new positions (what eviction needs), its chat template, and runs a ${smokeQuestions.length}-turn chat over a cache small
enough to evict. Exit code 0: works; 1: refused or failed (the reason and what to do are printed).

<model>                  a GGUF file (llama.cpp), an ONNX model folder or hub id (transformers.js), or
                         tiny:family=<name> (the testkit's reference backend)
Options:
  --backend <name>       llamacpp, transformers or reference (default: from the model: .gguf → llamacpp,
                         tiny… → reference, anything else → transformers)
  --capacity <n>         cache cells of the smoke test (default 64: small, so it evicts)
  --max-tokens <n>       longest reply per turn (default 16)
  --threads <n>          CPU threads of a native backend (default: every core)
  --kv-cache-type <type> llama.cpp's cache element type: f16 (default) or f32
  -h, --help             this text`;

/** The backend a model path names when `--backend` is not given. */
export function backendForModel(model: string): string {
  if (model === 'tiny' || model.startsWith('tiny:')) return 'reference';
  return model.toLowerCase().endsWith('.gguf') ? 'llamacpp' : 'transformers';
}

/** `sirllm check <model>`. */
export async function runCheckCommand(argumentsList: readonly string[], io: CommandIo): Promise<number> {
  const command = 'sirllm check';
  const parsed = parseArguments(command, argumentsList, {
    backend: { value: true },
    capacity: { value: true },
    'max-tokens': { value: true },
    threads: { value: true },
    'kv-cache-type': { value: true },
  });
  if (parsed.options.has('help')) {
    io.out(checkUsage);
    return 0;
  }
  const [model, extra] = parsed.positionals;
  if (model === undefined) throw new UsageError(command, 'which model? (sirllm check <model>)');
  if (extra !== undefined) throw new UsageError(command, `unexpected argument "${extra}"`);
  const capacity = optionInteger(command, parsed, 'capacity', { minimum: 16 }) ?? 64;
  const maxTokens = optionInteger(command, parsed, 'max-tokens', { minimum: 1, maximum: 512 }) ?? 16;
  const threads = optionInteger(command, parsed, 'threads', { minimum: 1 });
  const backendName = optionText(parsed, 'backend') ?? backendForModel(model);
  const keyValueCacheType = optionChoice(command, parsed, 'kv-cache-type', keyValueCacheTypes);
  if (keyValueCacheType !== undefined && backendName !== 'llamacpp') {
    throw new UsageError(command, '--kv-cache-type is for the llamacpp backend only');
  }

  const line = (label: string, text: string) => io.out(`${label.padEnd(12)}${text}`);
  let backend: KVBackend;
  try {
    backend = await loadBackend(command, backendName, model, {
      ...(threads === undefined ? {} : { threads }),
      ...(keyValueCacheType === undefined ? {} : { keyValueCacheType }),
    });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    line('model', `${model} (${backendName})`);
    line(
      'result',
      PositionShiftUnsupportedError.isInstance(error)
        ? `REFUSED: ${error.message}`
        : `FAILED to load: ${messageOf(error)}`,
    );
    return 1;
  }
  try {
    const { info } = backend;
    line('model', `${info.name} (${backendName})`);
    line('family', info.architecture ?? 'not reported by this backend');
    line('vocabulary', `${info.vocabularySize} tokens; trained context ${info.trainedContextLength}`);
    line('positions', positionText(info.positionShift, info.rope?.scaling?.type));
    line(
      'chat',
      backend.chatTemplate
        ? `template ${backend.chatTemplate.name} (the model's own)`
        : 'no chat template: plain USER:/ASSISTANT: text',
    );
    const turns = await runSmokeTest(backend, { capacity, maxTokens });
    for (const [index, turn] of turns.entries()) {
      line(
        `turn ${index + 1}`,
        `${turn.resident}/${capacity} resident, ${turn.evicted} evicted · ${JSON.stringify(turn.reply.trim().slice(0, 60))}`,
      );
    }
    const last = turns.at(-1);
    const compacted = last !== undefined && last.evicted > 0;
    line(
      'result',
      compacted
        ? 'works: evicted and compacted without error'
        : `works, but nothing was evicted at capacity ${capacity}: run again with a smaller --capacity to exercise compaction`,
    );
    return 0;
  } catch (error) {
    if (PositionShiftUnsupportedError.isInstance(error)) {
      line('result', `REFUSED: ${error.message}`);
      return 1;
    }
    line('result', `FAILED: ${messageOf(error)}`);
    return 1;
  } finally {
    await backend.dispose();
  }
}

function positionText(support: string, scaling: string | undefined): string {
  const scheme = scaling === undefined ? 'RoPE' : `RoPE with ${scaling} scaling`;
  switch (support) {
    case 'exact':
      return `${scheme}: cached keys move exactly — SirLLM compaction works`;
    case 'approximate':
      return `${scheme}: cached keys move with a small error per shift (llama.cpp re-applies the magnitude factor)`;
    default:
      return 'cached keys cannot be moved to new positions — SirLLM eviction is refused for this backend';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { isModelFamily, modelFamilies, type TinyLlamaOptions } from '@sirllm/testkit';
import { UsageError } from '../arguments/usage-error.js';

const integerKeys = [
  'seed',
  'layers',
  'attentionHeads',
  'keyValueHeads',
  'hiddenSize',
  'intermediateSize',
  'maximumPositionEmbeddings',
] as const;

/**
 * A testkit model from `tiny` or `tiny:key=value,…` (keys: family — llama, llama3, smollm2, mistral,
 * qwen2, qwen3, phi3, gemma3 — and the integers seed, layers, attentionHeads, keyValueHeads, hiddenSize,
 * intermediateSize, maximumPositionEmbeddings), e.g. `tiny:layers=2,seed=3` or `tiny:family=qwen3`.
 */
export function parseTestkitModel(command: string, text: string): TinyLlamaOptions {
  const [name, settings = ''] = text.split(/:(.*)/su);
  if (name !== 'tiny') {
    throw new UsageError(
      command,
      `--backend reference needs --model tiny or tiny:key=value,… (e.g. tiny:layers=2,seed=3), got "${text}"`,
    );
  }
  const options: Record<string, number | string> = {};
  for (const pair of settings.split(',').filter((entry) => entry.trim() !== '')) {
    const [key = '', value = ''] = pair.split('=').map((part) => part.trim());
    if (key === 'family') {
      if (!isModelFamily(value)) {
        throw new UsageError(
          command,
          `unknown family "${value}" (expected one of ${modelFamilies.join(', ')})`,
        );
      }
      options.family = value;
      continue;
    }
    if (!(integerKeys as readonly string[]).includes(key) || !/^\d+$/u.test(value)) {
      throw new UsageError(
        command,
        `bad testkit model setting "${pair}" (expected family=<name> or key=integer with key one of ${integerKeys.join(', ')})`,
      );
    }
    options[key] = Number(value);
  }
  return options as TinyLlamaOptions;
}

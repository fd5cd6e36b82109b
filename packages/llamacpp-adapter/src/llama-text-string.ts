import type { LlamaModel, LlamaText } from 'node-llama-cpp';
import { SpecialToken, SpecialTokensText } from 'node-llama-cpp';

/**
 * The text of a rendered conversation with every special token written as the model's own token text
 * (e.g. `<|begin_of_text|>`), so that tokenizing it with special tokens parsed gives the same ids as
 * node-llama-cpp's own tokenization. `LlamaText.toString()` writes a built-in special token as its
 * symbolic name instead (`BOS`), which tokenizes as the three letters. A built-in token the model lacks
 * (no BOS) writes nothing, as node-llama-cpp's tokenization then adds nothing.
 */
export function llamaTextString(model: LlamaModel, text: LlamaText): string {
  let result = '';
  for (const value of text.values) {
    if (typeof value === 'string') result += value;
    else if (value instanceof SpecialTokensText) result += value.value;
    else if (value instanceof SpecialToken) result += builtInTokenText(model, value) ?? '';
  }
  return result;
}

function builtInTokenText(model: LlamaModel, token: SpecialToken): string | null {
  const { tokens } = model;
  switch (token.value) {
    case 'BOS':
      return tokens.bosString;
    case 'EOS':
      return tokens.eosString;
    case 'EOT':
      return tokens.eotString;
    case 'SEP':
      return tokens.sepString;
    case 'NL':
      return tokens.nlString;
    default:
      return null;
  }
}

/** One rewrite of a rule node-llama-cpp 3.22 generates for JSON schemas, and why. */
interface GrammarRewrite {
  readonly original: string;
  readonly replacement: string;
}

const rewrites: readonly GrammarRewrite[] = [
  // node-llama-cpp's integer rule allows an exponent (`3e-33` is no integer) and 16 digits (beyond
  // Number.MAX_SAFE_INTEGER, which zod's `int()` refuses): no exponent, at most 15 digits.
  {
    original:
      'integer-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?',
    replacement: 'integer-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,14})',
  },
  // Exponents of up to 16 digits (`1e76476`) are valid JSON but parse to Infinity in JavaScript:
  // allow at most two exponent digits, which keeps every number finite.
  {
    original: '[eE] [-+]? ("0" | [1-9] [0-9]{0,15})',
    replacement: '[eE] [-+]? [0-9]{1,2}',
  },
  // llama.cpp's grammar engine decodes token bytes leniently: encoded surrogates and 4-byte forms
  // beyond U+10FFFF become code points the JSON string rule accepts, while JavaScript turns each such
  // byte into U+FFFD. Refuse the code points no valid UTF-8 text contains.
  {
    original: '[^"\\\\\\x7F\\x00-\\x1F]',
    replacement: '[^"\\\\\\x7F\\x00-\\x1F\\uD800-\\uDFFF\\U00110000-\\U001FFFFF]',
  },
];

/**
 * Tightens the GBNF grammar node-llama-cpp generates for a JSON schema so that what it accepts also
 * survives `JSON.parse` in JavaScript unchanged (see the rewrites above) and ends where the value ends. Rules that are not found
 * (another node-llama-cpp version) are left as they are.
 *
 * Not fixable at this level: llama.cpp reads the lead bytes 0xF8–0xFF like 0xF0 and accepts overlong
 * forms (0xC1 0x81 for "A"), so invalid UTF-8 can still pass the grammar at the same code point as
 * valid text. JavaScript decodes it to U+FFFD characters, and such a string can be longer than
 * `maxLength` once decoded. Trained models practically never emit these bytes; random test weights do.
 */
export function tightenJsonGrammar(grammar: string): string {
  let result = grammar;
  for (const { original, replacement } of rewrites) result = result.split(original).join(replacement);
  return result.replace(trailingNewlines, '');
}

/**
 * node-llama-cpp ends the root rule with four or more newlines (`"\n\n\n\n" [\n]*`), the stop text of
 * its own `LlamaChat`. Here they would be generated after every JSON value — four tokens of ~14 nats each
 * that SirLLM then ranks among the first to keep — before the grammar allows an end token. Without them
 * an object or array is complete at its closing bracket. A root that is a bare number keeps them: only
 * what follows its digits shows that it ended.
 */
const trailingNewlines = /(?<=^root ::= .*"[}\]]") "\\n\\n\\n\\n" \[\\n\]\*$/mu;

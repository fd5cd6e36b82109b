import { InvalidOptionError, type KVBackend } from '@sirllm/core';

/**
 * How a question becomes the model's context. Every format returns the context text and the text of
 * context + continuation; the harness moves the context's trailing whitespace into the continuation
 * (lm-eval-harness `_encode_pair`), so with `vicuna` the letter continuation is `" A"`.
 *
 * - `vicuna` (default, the paper's Vicuna runs): `USER: {question}\n\nASSISTANT: ` + continuation.
 * - `chat-template`: the backend's own `ChatTemplate` (the paper's Yi-Chat runs use ChatML this way):
 *   context = the user message with the generation prompt; whole = user + assistant(continuation). The
 *   continuation's tokens then include the template's closing text, as in the reference code.
 * - `plain`: the question text as it is.
 */
export type PromptFormatName = 'vicuna' | 'chat-template' | 'plain';

/** Every prompt format name, for validation and help texts. */
export const promptFormatNames: readonly PromptFormatName[] = ['vicuna', 'chat-template', 'plain'];

/** A question's context and its continuations, as text, before tokenization. */
export interface PromptTexts {
  /** The context, its trailing whitespace removed. */
  readonly context: string;
  /** Context + each continuation (with the moved whitespace), in option order. */
  readonly wholes: readonly string[];
  /** Whether the texts contain special-token text to parse (chat templates). */
  readonly special: boolean;
}

/** Builds the prompt texts of one question in the given format. */
export function renderPrompt(
  format: PromptFormatName,
  question: string,
  continuations: readonly string[],
  backend: KVBackend,
): PromptTexts {
  switch (format) {
    case 'vicuna':
      return splitPair(`USER: ${question}\n\nASSISTANT: `, continuations);
    case 'plain':
      return splitPair(question, continuations);
    case 'chat-template': {
      const template = backend.chatTemplate;
      if (template === undefined) {
        throw new InvalidOptionError({
          option: 'promptFormat',
          value: format,
          expected: `a backend with a chat template (${backend.info.name} has none); use "vicuna" or "plain"`,
        });
      }
      const { stripped, moved } = splitTrailingWhitespace(question);
      const user = { role: 'user' as const, content: stripped };
      return {
        context: template.render([user], { addGenerationPrompt: true }),
        wholes: continuations.map((continuation) =>
          template.render([user, { role: 'assistant', content: moved + continuation }], {
            addGenerationPrompt: false,
          }),
        ),
        special: true,
      };
    }
    default:
      throw new InvalidOptionError({
        option: 'promptFormat',
        value: format,
        expected: `one of ${promptFormatNames.join(', ')}`,
      });
  }
}

/** Python's `len(s) - len(s.rstrip())`: the trailing whitespace, moved from the context to the continuation. */
export function splitTrailingWhitespace(text: string): {
  /** The text without its trailing whitespace. */
  stripped: string;
  /** The trailing whitespace. */
  moved: string;
} {
  const stripped = text.replace(/\s+$/u, '');
  return { stripped, moved: text.slice(stripped.length) };
}

function splitPair(context: string, continuations: readonly string[]): PromptTexts {
  const { stripped, moved } = splitTrailingWhitespace(context);
  return {
    context: stripped,
    wholes: continuations.map((continuation) => stripped + moved + continuation),
    special: false,
  };
}

import { UsageError } from './usage-error.js';

/** One `--name value` or `--flag` option of a command. */
export interface OptionSpecification {
  /** Takes a value (`--capacity 512` or `--capacity=512`); otherwise a boolean flag. */
  readonly value?: boolean;
}

/** Parsed arguments: positionals in order, options by name (flags are `true`). */
export interface ParsedArguments {
  readonly positionals: string[];
  readonly options: Map<string, string | true>;
}

/**
 * Parses `argumentsList` against the command's options. Unknown options, a missing value or a value
 * given to a flag throw `UsageError` naming the option. `--help`/`-h` is always accepted.
 */
export function parseArguments(
  command: string,
  argumentsList: readonly string[],
  specification: Readonly<Record<string, OptionSpecification>>,
): ParsedArguments {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let index = 0; index < argumentsList.length; index++) {
    const argument = argumentsList[index] as string;
    if (argument === '-h' || argument === '--help') {
      options.set('help', true);
      continue;
    }
    if (!argument.startsWith('--') || argument === '--') {
      positionals.push(argument);
      continue;
    }
    const equals = argument.indexOf('=');
    const name = argument.slice(2, equals < 0 ? undefined : equals);
    const option = specification[name];
    if (option === undefined) {
      const known = Object.keys(specification).map((key) => `--${key}`);
      throw new UsageError(command, `unknown option "--${name}" (options: ${known.join(', ') || 'none'})`);
    }
    if (!option.value) {
      if (equals >= 0) throw new UsageError(command, `option "--${name}" takes no value`);
      options.set(name, true);
      continue;
    }
    const value = equals >= 0 ? argument.slice(equals + 1) : argumentsList[++index];
    if (value === undefined || value === '' || (equals < 0 && value.startsWith('--'))) {
      throw new UsageError(command, `option "--${name}" needs a value`);
    }
    options.set(name, value);
  }
  return { positionals, options };
}

/** The string value of an option, if given. */
export function optionText(parsed: ParsedArguments, name: string): string | undefined {
  const value = parsed.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** An integer option in [minimum, maximum]; `UsageError` otherwise. */
export function optionInteger(
  command: string,
  parsed: ParsedArguments,
  name: string,
  { minimum = 0, maximum = Number.MAX_SAFE_INTEGER } = {},
): number | undefined {
  const text = optionText(parsed, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/u.test(text) || !Number.isSafeInteger(value) || value < minimum || value > maximum) {
    throw new UsageError(
      command,
      `option "--${name}" must be an integer from ${minimum} to ${maximum}, got "${text}"`,
    );
  }
  return value;
}

/** A number option in (exclusiveMinimum, maximum]; `UsageError` otherwise. */
export function optionNumber(
  command: string,
  parsed: ParsedArguments,
  name: string,
  { exclusiveMinimum = Number.NEGATIVE_INFINITY, maximum = Number.POSITIVE_INFINITY } = {},
): number | undefined {
  const text = optionText(parsed, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= exclusiveMinimum || value > maximum) {
    throw new UsageError(
      command,
      `option "--${name}" must be a number in (${exclusiveMinimum}, ${maximum}], got "${text}"`,
    );
  }
  return value;
}

/** One of `choices`; `UsageError` otherwise. */
export function optionChoice<T extends string>(
  command: string,
  parsed: ParsedArguments,
  name: string,
  choices: readonly T[],
): T | undefined {
  const text = optionText(parsed, name);
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(command, `option "--${name}" must be one of ${choices.join(', ')}, got "${text}"`);
  }
  return text as T;
}

/** An error class with a cross-bundle `isInstance` check, like every SirLLM error. */
export interface ErrorType {
  readonly name: string;
  isInstance(error: unknown): boolean;
}

/** Runs `action` and throws unless it rejects (or throws) with an error of `type`; returns the error. */
export async function expectRejection(
  action: () => unknown,
  type: ErrorType,
  label: string,
): Promise<unknown> {
  let outcome: { error: unknown } | undefined;
  try {
    await action();
  } catch (error) {
    outcome = { error };
  }
  if (!outcome) throw new Error(`${label}: expected a ${type.name}, but the call succeeded`);
  if (!type.isInstance(outcome.error)) {
    const error = outcome.error;
    const description = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`${label}: expected a ${type.name}, got ${description}`, { cause: error });
  }
  return outcome.error;
}

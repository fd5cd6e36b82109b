import type { Interface } from 'node:readline';

/** Reads lines one at a time from one input stream, for the whole life of a command. */
export interface LineReader {
  /** The next line (the prompt shown first on a terminal); undefined once the input has ended. */
  read(prompt: string): Promise<string | undefined>;
  /** Stops reading (lets the process exit while a terminal is still open). */
  close(): void;
}

/**
 * A {@link LineReader} over `input`. One `readline` interface lives as long as the reader: lines that
 * arrive while the command is busy (piped input arrives all at once) wait in its queue instead of being
 * dropped with a per-question interface. On a terminal the prompt is written to `output` and Ctrl-C is
 * passed on to the process's SIGINT listeners (readline would otherwise swallow it).
 */
export function createLineReader(
  input: NodeJS.ReadableStream & { isTTY?: boolean },
  output: NodeJS.WritableStream,
): LineReader {
  const interactive = input.isTTY === true;
  let reader: Interface | undefined;
  let lines: AsyncIterator<string> | undefined;
  let ended = false;
  const open = async () => {
    const { createInterface } = await import('node:readline');
    reader = createInterface({ input, ...(interactive ? { output } : {}), terminal: interactive });
    if (interactive) reader.on('SIGINT', () => process.emit('SIGINT'));
    return reader[Symbol.asyncIterator]();
  };
  return {
    async read(prompt) {
      if (ended) return undefined;
      lines ??= await open();
      if (interactive) output.write(prompt);
      const next = await lines.next();
      if (next.done) ended = true;
      return next.done ? undefined : next.value;
    },
    close() {
      ended = true;
      reader?.close();
    },
  };
}

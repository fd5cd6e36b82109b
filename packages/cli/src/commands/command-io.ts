import { createLineReader, type LineReader } from './line-reader.js';

/** What a command writes to and listens on; the real process in `bin.ts`, a recorder in tests. */
export interface CommandIo {
  /** Results (stdout). */
  out(text: string): void;
  /** Text streamed as it is made, such as a chat reply token by token (stdout, no newline added). */
  readonly textStream: { write(text: string): unknown };
  /** Diagnostics and progress notes (stderr). */
  error(text: string): void;
  /** Whether `out` goes to a colour terminal (stdout is a TTY and NO_COLOR is unset). */
  readonly color: boolean;
  /** Where the progress bar is drawn (stderr; redrawn in place when it is a terminal). */
  readonly progressStream: { write(text: string): unknown; isTTY?: boolean };
  /** Least milliseconds between two progress draws (default 100). */
  readonly progressInterval?: number;
  /** Calls `handler` on Ctrl-C (SIGINT) instead of exiting; returns a function that stops listening. */
  onInterrupt(handler: () => void): () => void;
  /** Lines typed by the user (interactive commands); undefined at end of input. */
  readLine?(prompt: string): Promise<string | undefined>;
  /** Stops reading input (a command that used `readLine` calls it when done). */
  closeInput?(): void;
}

/** The process's own streams and signals. */
export function processIo(): CommandIo {
  let input: LineReader | undefined;
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    error: (text) => process.stderr.write(`${text}\n`),
    textStream: process.stdout,
    progressStream: process.stderr,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    readLine: (prompt) => {
      input ??= createLineReader(process.stdin, process.stdout);
      return input.read(prompt);
    },
    closeInput: () => input?.close(),
    onInterrupt(handler) {
      let interrupts = 0;
      const listener = () => {
        interrupts++;
        if (interrupts > 1) process.exit(130); // a second Ctrl-C stops at once
        handler();
      };
      process.on('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
  };
}

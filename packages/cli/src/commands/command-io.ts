/** What a command writes to and listens on; the real process in `bin.ts`, a recorder in tests. */
export interface CommandIo {
  /** Results (stdout). */
  out(text: string): void;
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
}

/** The process's own streams and signals. */
export function processIo(): CommandIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    error: (text) => process.stderr.write(`${text}\n`),
    progressStream: process.stderr,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    async readLine(prompt) {
      const { createInterface } = await import('node:readline/promises');
      const reader = createInterface({
        input: process.stdin,
        output: process.stdout,
        terminal: process.stdin.isTTY === true,
      });
      try {
        return await new Promise<string | undefined>((resolve) => {
          reader.once('close', () => resolve(undefined));
          reader.question(prompt).then(resolve, () => resolve(undefined));
        });
      } finally {
        reader.close();
      }
    },
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

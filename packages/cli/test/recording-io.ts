import type { CommandIo } from '../src/commands/command-io.js';

/** A CommandIo that records what a command writes; `interrupt()` plays Ctrl-C; `lines` are typed input. */
export function recordingIo({
  lines = [] as string[],
  onProgress,
}: {
  lines?: string[];
  onProgress?: () => void;
} = {}) {
  const out: string[] = [];
  const error: string[] = [];
  const progress: string[] = [];
  const text: string[] = [];
  const handlers = new Set<() => void>();
  const io: CommandIo = {
    out: (text) => out.push(text),
    error: (line) => error.push(line),
    textStream: {
      write: (piece: string) => {
        text.push(piece);
        return true;
      },
    },
    color: false,
    progressInterval: 0,
    progressStream: {
      isTTY: true,
      write: (text: string) => {
        progress.push(text);
        onProgress?.();
        return true;
      },
    },
    onInterrupt(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    readLine: async () => lines.shift(),
  };
  return {
    io,
    out,
    error,
    progress,
    /** What was streamed to stdout without newlines (chat replies). */
    text,
    interrupt: () => {
      for (const handler of handlers) handler();
    },
  };
}

// The few Bun and Deno globals the examples use, so that `tsc` can check them without @types/bun or
// Deno's own type libraries. Only bun-snapshot.mjs touches Bun, only deno-memory.mjs touches Deno.

declare const Bun: {
  readonly version: string;
  write(path: string, data: Uint8Array): Promise<number>;
  file(path: string): { arrayBuffer(): Promise<ArrayBuffer>; delete(): Promise<void> };
};

declare const Deno: {
  readonly args: readonly string[];
  readonly version: { readonly deno: string };
  readonly stdout: { writeSync(data: Uint8Array): number };
};

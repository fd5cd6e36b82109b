import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** The lines at the top of the real-shape benchmark: machine, runtimes, load. */
export async function machineDescription(threads: number): Promise<string> {
  const { getModuleVersion } = await import('node-llama-cpp');
  const processors = cpus();
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
  return [
    `Machine: ${processors[0]?.model ?? 'unknown CPU'} × ${processors.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM (${(freemem() / 2 ** 30).toFixed(0)} GiB free), no GPU used`,
    `Threads: ${threads} | Node ${process.version} | node-llama-cpp ${await getModuleVersion()} | load average (1/5/15 min) at start: ${load}`,
    `Date: ${new Date().toISOString()}`,
  ].join('\n');
}

/** The load average now, for the end of the run. */
export function loadLine(): string {
  return `load average (1/5/15 min) at the end: ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ')}`;
}

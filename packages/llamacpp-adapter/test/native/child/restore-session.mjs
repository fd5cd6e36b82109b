// Run in a separate process by snapshot.test.ts: restores a MemorySession snapshot from a file with
// the built packages, continues it with the given tokens, and prints the surprisal as JSON.
import { readFile } from 'node:fs/promises';
import { MemorySession } from '@sirllm/core';
import { createLlamaCppBackend } from '../../../dist/index.js';

const [modelPath, snapshotPath, tokensJson] = process.argv.slice(-3);
const backend = await createLlamaCppBackend({
  modelPath,
  gpu: false,
  threads: 1,
  contextSize: 256,
  kvCacheType: 'f32',
});
try {
  const session = await MemorySession.restore({
    backend,
    snapshot: new Uint8Array(await readFile(snapshotPath)),
  });
  const resident = session.statistics.resident;
  const { surprisal } = await session.ingest(JSON.parse(tokensJson));
  process.stdout.write(`${JSON.stringify({ resident, surprisal: Array.from(surprisal) })}\n`);
  await session.dispose();
} finally {
  await backend.dispose();
}

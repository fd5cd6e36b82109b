import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSessionLeasesConformance, runSessionStoreConformance } from '../src/conformance/index.js';
import { createMemorySessionLeases, createMemorySessionStore } from '../src/index.js';
import { createFileSessionStore } from '../src/node/index.js';

runSessionStoreConformance('memory store, fenced by memory leases', () => {
  const leases = createMemorySessionLeases();
  return { store: createMemorySessionStore({ leases }), leases };
});

runSessionStoreConformance('memory store', () => ({ store: createMemorySessionStore() }));

runSessionStoreConformance('file store', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'sirllm-file-store-'));
  return {
    store: createFileSessionStore(join(directory, 'sessions')),
    dispose: () => rm(directory, { recursive: true, force: true }),
  };
});

runSessionLeasesConformance('memory leases', (leaseMs) => ({
  leases: createMemorySessionLeases({ leaseMs }),
}));

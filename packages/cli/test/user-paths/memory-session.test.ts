import { memorySessionSuite } from './memory-session-suite.js';
import { userPathBackends } from './user-path-backends.js';

// User path 1: a program drives MemorySession.respond directly, streaming the reply and stopping it, on
// every backend with native runtimes. The WebAssembly runtime of transformers.js is in
// memory-session.wasm.test.ts: it must be the first transformers.js runtime of its process.
for (const factory of userPathBackends()) memorySessionSuite(factory);

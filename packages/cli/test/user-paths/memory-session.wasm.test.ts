import { memorySessionSuite } from './memory-session-suite.js';
import { transformersWasmTestkit } from './user-path-backends.js';

// User path 1 on onnxruntime-web's WebAssembly build (offline). transformers.js picks its ONNX runtime
// at its first import, so this runs in a file (a process) of its own.
memorySessionSuite(transformersWasmTestkit);

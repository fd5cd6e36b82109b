import { runBackendConformance } from '@sirllm/testkit/conformance';
import { openTestBackend, writeTinyModel } from './gguf-fixtures.js';

// F32 KV cache and no flash attention: llama.cpp then matches the float64 reference to ~1e-5.
const tolerance = 1e-4;

runBackendConformance(
  'llama.cpp, 1 layer, grouped-query attention',
  async () => {
    const { model, path } = writeTinyModel({ seed: 11 });
    const backend = await openTestBackend(path, 512);
    return { backend, model, tolerance };
  },
  { capacity: 64 },
);

runBackendConformance(
  'llama.cpp, 2 layers, grouped-query attention, untied output',
  async () => {
    const { model, path } = writeTinyModel({
      seed: 12,
      layers: 2,
      attentionHeads: 4,
      keyValueHeads: 2,
      tiedEmbeddings: false,
    });
    const backend = await openTestBackend(path, 512);
    return { backend, model, tolerance };
  },
  { capacity: 64 },
);

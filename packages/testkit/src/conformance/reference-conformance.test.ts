import { createReferenceBackend } from '../reference-backend/reference-backend.js';
import { createTinyLlama } from '../tiny-llama/create-tiny-llama.js';
import { runBackendConformance } from './run-backend-conformance.js';

runBackendConformance('reference, 1 layer', () => {
  const model = createTinyLlama({ seed: 11 });
  return { backend: createReferenceBackend({ model, maximumCapacity: 1024 }), model, tolerance: 1e-6 };
});

runBackendConformance('reference, 2 layers, grouped-query attention', () => {
  const model = createTinyLlama({ seed: 12, layers: 2, attentionHeads: 4, keyValueHeads: 2 });
  return { backend: createReferenceBackend({ model }), model };
});

runBackendConformance('reference, 1 layer, partial rotary, llama3 scaling, untied', () => {
  const model = createTinyLlama({
    seed: 13,
    hiddenSize: 48,
    attentionHeads: 4,
    keyValueHeads: 1,
    tiedEmbeddings: false,
    rope: {
      theta: 500000,
      rotaryDimensions: 8,
      scaling: {
        type: 'llama3',
        factor: 8,
        lowFrequencyFactor: 1,
        highFrequencyFactor: 4,
        originalMaxPositionEmbeddings: 64,
      },
    },
  });
  return { backend: createReferenceBackend({ model }), model };
});

runBackendConformance('reference, 1 layer, YaRN scaling', () => {
  const model = createTinyLlama({
    seed: 14,
    rope: { scaling: { type: 'yarn', factor: 4, originalMaxPositionEmbeddings: 32 } },
  });
  return { backend: createReferenceBackend({ model }), model };
});

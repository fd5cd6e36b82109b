import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KVBackend } from '@sirllm/core';
import { createLlamaCppBackend } from '@sirllm/llamacpp';
import {
  createReferenceBackend,
  createTinyLlama,
  type TinyLlamaModel,
  tinyLlamaToGguf,
  transformersModelFiles,
} from '@sirllm/testkit';
import { createTransformersBackend } from '@sirllm/transformers';
import { afterAll, beforeAll } from 'vitest';
import { bundledDemoModel, demoModelGguf } from '../../src/demo/demo-assets.js';

/** Which library runs a backend of the matrix. */
export type BackendLibrary = 'reference' | 'llamacpp' | 'transformers';

/** A backend of the user-path matrix, opened. */
export interface OpenedBackend {
  readonly name: string;
  readonly library: BackendLibrary;
  /** `testkit`: {@link testkitWeights} (random, exact expectations from the reference forward pass); `bundled`: the trained demo model. */
  readonly model: 'testkit' | 'bundled';
  readonly backend: KVBackend;
  /** The testkit weights the backend runs, for independent expectations (`referenceForward`); none for the bundled model. */
  readonly weights?: TinyLlamaModel;
  /** Frees the backend and deletes its temporary model files. */
  dispose(): Promise<void>;
}

/** How to open one backend of the matrix. */
export interface BackendFactory {
  readonly name: string;
  readonly library: BackendLibrary;
  readonly model: 'testkit' | 'bundled';
  open(): Promise<OpenedBackend>;
}

/**
 * The testkit model every `testkit` backend runs: 2 layers, 64 wide, 4 query / 2 key-value heads (head
 * dimension 16, the least onnxruntime's CPU GroupQueryAttention accepts). Seed 5: its greedy replies to
 * the prompts of these tests have top-two logit margins ≥ 0.1, so float32 backends pick the same tokens
 * as the float64 reference.
 */
export const testkitWeights: TinyLlamaModel = createTinyLlama({ hiddenSize: 64, layers: 2, seed: 5 });

/** KV cells of each llama.cpp sequence (the largest capacity the tests ask for). */
const llamaCppContext = 1024;

/** The bundled demo model's folder; throws when the repository has none. */
export function bundledModelFolder(): string {
  const folder = bundledDemoModel();
  if (folder === undefined || !existsSync(join(folder, demoModelGguf))) {
    throw new Error('models/sirllm-grocery-demo (the bundled demo model) is missing from the repository');
  }
  return folder;
}

function temporaryFolder(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'sirllm-user-paths-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes the testkit weights as a transformers.js model folder (GroupQueryAttention graph). */
function writeTestkitOnnx(folder: string): string {
  const path = join(folder, 'tiny-onnx');
  for (const [file, content] of transformersModelFiles(testkitWeights, { style: 'group-query-attention' })) {
    mkdirSync(dirname(join(path, file)), { recursive: true });
    writeFileSync(join(path, file), content);
  }
  return path;
}

async function stayOffline(): Promise<void> {
  const { env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
}

function opened(
  factory: BackendFactory,
  backend: KVBackend,
  dispose: () => Promise<void>,
  weights?: TinyLlamaModel,
): OpenedBackend {
  const { name, library, model } = factory;
  return { name, library, model, backend, dispose, ...(weights ? { weights } : {}) };
}

/**
 * Opens a backend over the testkit weights written into a fresh temporary folder by `load`; disposing it
 * disposes the backend, then deletes the folder.
 */
async function openedInTemporaryFolder(
  factory: BackendFactory,
  load: (folder: string) => Promise<KVBackend>,
): Promise<OpenedBackend> {
  const folder = temporaryFolder();
  const backend = await load(folder.path);
  const dispose = async () => {
    await backend.dispose();
    folder.remove();
  };
  return opened(factory, backend, dispose, testkitWeights);
}

const reference: BackendFactory = {
  name: 'reference',
  library: 'reference',
  model: 'testkit',
  async open() {
    const backend = createReferenceBackend({ model: testkitWeights });
    return opened(this, backend, () => backend.dispose(), testkitWeights);
  },
};

const llamaCppTestkit: BackendFactory = {
  name: 'llama.cpp (testkit GGUF)',
  library: 'llamacpp',
  model: 'testkit',
  open() {
    return openedInTemporaryFolder(this, (folder) => {
      const modelPath = join(folder, 'tiny.gguf');
      writeFileSync(modelPath, tinyLlamaToGguf(testkitWeights));
      return createLlamaCppBackend({
        modelPath,
        gpu: false,
        threads: 1,
        kvCacheType: 'f32',
        contextSize: llamaCppContext,
      });
    });
  },
};

const llamaCppBundled: BackendFactory = {
  name: 'llama.cpp (bundled model)',
  library: 'llamacpp',
  model: 'bundled',
  async open() {
    // As `sirllm demo` runs it: one thread, a float32 cache (the same numbers as the ONNX model).
    const backend = await createLlamaCppBackend({
      modelPath: join(bundledModelFolder(), demoModelGguf),
      gpu: false,
      threads: 1,
      kvCacheType: 'f32',
      contextSize: llamaCppContext,
    });
    return opened(this, backend, () => backend.dispose());
  },
};

const transformersTestkit: BackendFactory = {
  name: 'transformers.js (testkit ONNX)',
  library: 'transformers',
  model: 'testkit',
  open() {
    return openedInTemporaryFolder(this, async (folder) => {
      const backend = await createTransformersBackend({ model: writeTestkitOnnx(folder), threads: 1 });
      await stayOffline();
      return backend;
    });
  },
};

const transformersBundled: BackendFactory = {
  name: 'transformers.js (bundled model)',
  library: 'transformers',
  model: 'bundled',
  async open() {
    const backend = await createTransformersBackend({ model: bundledModelFolder(), threads: 1 });
    await stayOffline();
    return opened(this, backend, () => backend.dispose());
  },
};

/**
 * onnxruntime-web's WebAssembly build (offline, from node_modules) over the testkit ONNX folder.
 * transformers.js picks its ONNX runtime when first imported, so a file that opens this must open no
 * native transformers.js backend before it (vitest runs every test file in its own process).
 */
export const transformersWasmTestkit: BackendFactory = {
  name: 'transformers.js WASM (testkit ONNX)',
  library: 'transformers',
  model: 'testkit',
  open() {
    return openedInTemporaryFolder(this, async (folder) => {
      const backend = await createTransformersBackend({
        model: writeTestkitOnnx(folder),
        runtime: 'wasm',
        threads: 1,
      });
      await stayOffline();
      return backend;
    });
  },
};

/**
 * The backends every user path runs on: the reference backend, llama.cpp and transformers.js (native
 * onnxruntime) each over the testkit model and over the bundled demo model. `select` narrows them.
 */
export function userPathBackends(
  select: { library?: BackendLibrary; model?: 'testkit' | 'bundled' } = {},
): BackendFactory[] {
  return [reference, llamaCppTestkit, llamaCppBundled, transformersTestkit, transformersBundled].filter(
    (factory) =>
      (select.library === undefined || factory.library === select.library) &&
      (select.model === undefined || factory.model === select.model),
  );
}

/**
 * Opens `factory`'s backend once for the enclosing `describe` (beforeAll) and frees it after
 * (afterAll); the returned function gives the opened backend inside its tests.
 */
export function openForSuite(factory: BackendFactory): () => OpenedBackend {
  let opened: OpenedBackend | undefined;
  beforeAll(async () => {
    opened = await factory.open();
  });
  afterAll(async () => {
    await opened?.dispose();
  });
  return () => {
    if (opened === undefined) throw new Error(`${factory.name} did not open (see the beforeAll error)`);
    return opened;
  };
}

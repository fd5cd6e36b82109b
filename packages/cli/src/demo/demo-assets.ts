import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled demo model's folder name under `models/`. */
export const demoModelName = 'sirllm-grocery-demo';

/**
 * The GGUF file of the bundled model (for the llama.cpp backend) inside its folder: float32 tensors
 * holding the same float16-rounded weights as the ONNX model, so both backends compute the same numbers.
 */
export const demoModelGguf = `${demoModelName}.f32.gguf`;

/**
 * The first ancestor folder of this module (or of `start`) that holds `relativePath`, or undefined.
 * Works from the sources (tests) and from the built `dist/` alike.
 */
export function findUpwards(
  relativePath: string,
  start = dirname(fileURLToPath(import.meta.url)),
): string | undefined {
  let folder = resolve(start);
  for (;;) {
    const candidate = join(folder, relativePath);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

/**
 * The bundled model's folder: `models/sirllm-grocery-demo` of the repository when this runs from a clone,
 * else the installed `@sirllm/demo-model` package (what `npx sirllm demo` gets); undefined when neither
 * exists.
 */
export function bundledDemoModel(start?: string): string | undefined {
  return findUpwards(join('models', demoModelName), start) ?? installedDemoModel(start);
}

/** The folder of the installed `@sirllm/demo-model` package (the model as npm ships it), if resolvable. */
export function installedDemoModel(start = dirname(fileURLToPath(import.meta.url))): string | undefined {
  try {
    const manifest = createRequire(join(start, 'noop.js')).resolve('@sirllm/demo-model/package.json');
    const folder = dirname(manifest);
    return existsSync(join(folder, demoModelGguf)) ? folder : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The held-out Grocery episodes 350–399 that ship beside the bundled model
 * (`models/sirllm-grocery-demo/data`, with their provenance note), if present.
 */
export function bundledDemoData(modelFolder = bundledDemoModel()): string | undefined {
  if (modelFolder === undefined) return undefined;
  const folder = join(modelFolder, 'data');
  return existsSync(join(folder, 'grocery', 'keys.jsonl')) ? folder : undefined;
}

/**
 * The demo's data folder: `explicit` if given, else `$SIRLLM_DATA`, else the held-out episodes bundled
 * beside the model (`models/sirllm-grocery-demo/data`). Undefined when none exists.
 */
export function locateDemoData(explicit: string | undefined, environment = process.env): string | undefined {
  if (explicit !== undefined) return explicit;
  if (environment.SIRLLM_DATA) return environment.SIRLLM_DATA;
  return bundledDemoData();
}

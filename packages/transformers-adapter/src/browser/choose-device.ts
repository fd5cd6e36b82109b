import { BackendError } from '@sirllm/core';
import type { TransformersDtype } from '../transformers-backend-options.js';
import type { BrowserDevice } from './browser-backend-options.js';

interface GpuAdapterLike {
  readonly features?: { has(feature: string): boolean };
  readonly info?: { readonly isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
}

interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

/** The browser's WebGPU adapter, or undefined where there is none (no `navigator.gpu`, or a null adapter). */
async function webGpuAdapter(): Promise<GpuAdapterLike | undefined> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (gpu === undefined) return undefined;
  try {
    return (await gpu.requestAdapter()) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether this page or worker can run WebGPU: `navigator.gpu` exists *and* gives an adapter (software ones
 * included). The property alone is not enough: headless Chromium has it and then returns no adapter.
 */
export async function hasWebGpuAdapter(): Promise<boolean> {
  return (await webGpuAdapter()) !== undefined;
}

/**
 * The device transformers.js gets. `wasm` as it is. `webgpu` needs an adapter (any, a software one too) and,
 * for fp16 weights, its `shader-f16` feature; else `BackendError`. `auto` is WebGPU on a hardware adapter that
 * can run the dtype, else WASM: a software adapter (SwiftShader) is far slower than WASM.
 */
export async function chooseDevice(
  device: BrowserDevice,
  dtype: TransformersDtype,
): Promise<'wasm' | 'webgpu'> {
  if (device === 'wasm') return 'wasm';
  const adapter = await webGpuAdapter();
  const float16 = dtype === 'fp16' ? (adapter?.features?.has('shader-f16') ?? false) : true;
  if (device === 'auto') {
    const software = adapter?.info?.isFallbackAdapter === true || adapter?.isFallbackAdapter === true;
    return adapter !== undefined && !software && float16 ? 'webgpu' : 'wasm';
  }
  if (adapter === undefined) {
    throw new BackendError(
      'device "webgpu" was asked for, but this browser gives no WebGPU adapter (navigator.gpu is missing or requestAdapter() returned null); use device "wasm", or "auto" to fall back to it.',
    );
  }
  if (!float16) {
    throw new BackendError(
      'device "webgpu" with dtype "fp16" needs the adapter\'s "shader-f16" feature, which this one lacks; use dtype "fp32", or device "auto" to fall back to WASM.',
    );
  }
  return 'webgpu';
}

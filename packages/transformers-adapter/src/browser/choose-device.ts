import { BackendError } from '@sirllm/core';
import type { BrowserDevice } from './browser-backend-options.js';

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/**
 * Whether this page or worker can run WebGPU: `navigator.gpu` exists *and* gives an adapter. (The
 * property alone is not enough: headless Chromium has it and then returns no adapter.)
 */
export async function hasWebGpuAdapter(): Promise<boolean> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (gpu === undefined) return false;
  try {
    return (await gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}

/** The device transformers.js gets: `auto` resolved by {@link hasWebGpuAdapter}; `webgpu` checked. */
export async function chooseDevice(device: BrowserDevice): Promise<'wasm' | 'webgpu'> {
  if (device === 'wasm') return 'wasm';
  const available = await hasWebGpuAdapter();
  if (device === 'auto') return available ? 'webgpu' : 'wasm';
  if (!available) {
    throw new BackendError(
      'device "webgpu" was asked for, but this browser gives no WebGPU adapter (navigator.gpu is missing or requestAdapter() returned null); use device "wasm" or "auto".',
    );
  }
  return 'webgpu';
}

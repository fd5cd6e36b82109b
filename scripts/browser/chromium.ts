import { existsSync } from 'node:fs';

/** Where Debian's `chromium` package puts the browser (the wrapper script sources /etc/chromium.d). */
const candidates = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser'];

/**
 * The system Chromium the browser tests drive (`$SIRLLM_CHROMIUM`, else Debian's): Playwright never
 * downloads a browser here. Throws a message that says how to install one.
 */
export function chromiumExecutable(): string {
  const chosen = process.env.SIRLLM_CHROMIUM;
  if (chosen) return chosen;
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error(
      `No Chromium found (looked at ${candidates.join(', ')}). Install Debian's: sudo apt-get install -y chromium, or set SIRLLM_CHROMIUM to a Chromium or Chrome executable.`,
    );
  }
  return found;
}

/**
 * Flags for a headless, offline run as root in a container: no sandbox (root), no first-run or
 * background network, and WebGPU allowed (Debian's Chromium then offers SwiftShader's software adapter
 * where there is no GPU).
 */
export function chromiumArguments(): string[] {
  return [
    '--no-sandbox',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-unsafe-webgpu',
  ];
}

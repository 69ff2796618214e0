// Headless Debian chromium for browser tests (`@albert-ts/testing/browser`): the ablation report check and the
// playground suite. Tests never install a browser; .ci/run installs Debian's chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium. */
export const CHROMIUM = '/usr/bin/chromium';
/** Whether {@link CHROMIUM} is installed (tests that need it say so when it is not, instead of skipping silently). */
export const hasChromium = fs.existsSync(CHROMIUM);
/** What a skipped browser test prints when chromium is absent. */
export const CHROMIUM_MISSING = `${CHROMIUM} is absent (apt-get install -y chromium)`;

/** Flags for this closed network: no background connections, no first-run work (see the machine notes). */
const OFFLINE_ARGS = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync',
];
/** WebGPU on the SwiftShader adapter (a CPU implementation of Vulkan): correctness checks without a GPU. */
const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'];

/** Options of {@link launchChromium}. */
export interface LaunchOptions {
  /** Enable WebGPU on SwiftShader (default false: `--disable-gpu`). */
  webgpu?: boolean;
  viewport?: { width: number; height: number };
}

/** A launched browser with its first page; `close()` also removes the fresh profile directory. */
export interface LaunchedChromium {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Launches headless chromium with a fresh profile directory. */
export async function launchChromium(opts: LaunchOptions = {}): Promise<LaunchedChromium> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-ts-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: opts.viewport ?? { width: 1280, height: 900 },
      args: ['--headless=new', ...OFFLINE_ARGS, ...(opts.webgpu ? WEBGPU_ARGS : ['--disable-gpu'])],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      context,
      page,
      async close() {
        try {
          await context.close();
        } finally {
          fs.rmSync(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

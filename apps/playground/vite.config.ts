// Vite config of the playground. The dev and preview servers send COOP/COEP headers so that the page and its
// worker are cross-origin isolated (SharedArrayBuffer, so wasm runs with threads). `--mode test` also builds the
// test harness pages (harness/*.html), which the Playwright suite drives; the production build leaves them out.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Headers that make the page cross-origin isolated (`crossOriginIsolated === true`). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig(({ mode }) => ({
  base: './',
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        main: resolve(here, 'index.html'),
        ...(mode === 'test' ? { parity: resolve(here, 'harness/parity.html') } : {}),
      },
    },
  },
}));

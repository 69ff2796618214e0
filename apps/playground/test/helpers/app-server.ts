// Builds the playground with Vite (`--mode test`: the app plus the harness pages) and serves the build with Vite's
// preview server, which sends the COOP/COEP headers of vite.config.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';

export const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const configFile = path.join(appDir, 'vite.config.ts');
const outDir = path.join(appDir, '.tmp', 'dist-test');

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

let built: Promise<void> | null = null;

/** Builds once per test process into `.tmp/dist-test`. */
function buildOnce(): Promise<void> {
  built ??= build({ root: appDir, configFile, mode: 'test', logLevel: 'warn', build: { outDir, emptyOutDir: true } }).then(() => undefined);
  return built;
}

/** Builds (once) and serves the build on a free local port. */
export async function buildAndServe(): Promise<AppServer> {
  await buildOnce();
  const server: PreviewServer = await preview({
    root: appDir, configFile, mode: 'test', logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite preview did not report a URL');
  return { url, close: () => server.close() };
}

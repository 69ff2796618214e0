// Serves the playground with Vite: the dev server (default), or `--preview` to build the production bundle and
// serve it. Both send the COOP/COEP headers (vite.config.ts), so wasm runs with threads.
//   node apps/playground/scripts/serve.mjs [--preview] [--port N] [--host H]
// The root script `corepack pnpm playground` builds the workspace packages first, then runs this.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, createServer, preview } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const configFile = path.join(root, 'vite.config.ts');
const { values } = parseArgs({
  options: { preview: { type: 'boolean', default: false }, port: { type: 'string' }, host: { type: 'string' } },
});
const port = values.port === undefined ? undefined : Number(values.port);
if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
  console.error(`playground: --port must be an integer from 0 to 65535, got ${values.port}`);
  process.exit(2);
}
const server = { ...(port !== undefined ? { port } : {}), ...(values.host ? { host: values.host } : {}) };

let running;
if (values.preview) {
  await build({ root, configFile, logLevel: 'warn' });
  running = await preview({ root, configFile, preview: server });
} else {
  running = await createServer({ root, configFile, server });
  await running.listen();
}
running.printUrls();
console.log('  (cross-origin isolated: COOP/COEP headers are on; Ctrl+C stops)');

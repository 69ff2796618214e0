// Copies tfjs-backend-wasm's three binaries into this package's wasm/ folder, where the browser entry point
// references them with `new URL('../../wasm/…', import.meta.url)` so that bundlers serve them as static assets.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
const out = path.join(here, '..', 'wasm');
fs.mkdirSync(out, { recursive: true });
for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  const tmp = path.join(out, `.${name}.${process.pid}.tmp`);
  fs.copyFileSync(path.join(dist, name), tmp);
  fs.renameSync(tmp, path.join(out, name));
}

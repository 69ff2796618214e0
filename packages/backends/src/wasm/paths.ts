import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Directory of the installed `@tensorflow/tfjs-backend-wasm` package (Node only). */
export function wasmPackageDir(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
}

/** Absolute paths of the three wasm binaries shipped in the package's `dist` folder (Node only). */
export function wasmBinaryPaths(): Record<'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm', string> {
  const dist = path.join(wasmPackageDir(), 'dist');
  return {
    'tfjs-backend-wasm.wasm': path.join(dist, 'tfjs-backend-wasm.wasm'),
    'tfjs-backend-wasm-simd.wasm': path.join(dist, 'tfjs-backend-wasm-simd.wasm'),
    'tfjs-backend-wasm-threaded-simd.wasm': path.join(dist, 'tfjs-backend-wasm-threaded-simd.wasm'),
  };
}

/** The CommonJS `require` of this package, to load the package's Emscripten glue (Node only). */
export function packageRequire(id: string): unknown {
  return require(id);
}

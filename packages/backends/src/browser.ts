// Browser entry point (pages and workers): webgpu, wasm (threads when cross-origin isolated), webgl, cpu.
export * from './common.js';
export { useBackend, BACKEND_NAMES } from './browser/use-backend.js';
export { bundledWasmPaths } from './browser/wasm-loader.js';

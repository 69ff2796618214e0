// Node.js entry point (bundlers targeting browsers resolve ./browser.ts through the `browser` export condition).
export * from './common.js';
export { useBackend, BACKEND_NAMES } from './use-backend.js';

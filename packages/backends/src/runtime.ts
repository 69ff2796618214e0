/** True when running under Node.js (not a browser or a web worker). */
export function isNode(): boolean {
  return typeof process === 'object' && typeof process.versions === 'object' && typeof process.versions.node === 'string';
}

/** Logical CPU count: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in browsers. */
export async function logicalCores(): Promise<number> {
  if (isNode()) {
    // A computed specifier, so that browser bundlers do not try to bundle a Node module.
    const spec = ['node', 'os'].join(':');
    const os = (await import(/* @vite-ignore */ spec)) as typeof import('node:os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** True in a browser page or worker that is cross-origin isolated (SharedArrayBuffer usable). */
export function isCrossOriginIsolated(): boolean {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

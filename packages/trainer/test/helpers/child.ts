// Runs a TypeScript entry in a child Node process through vite-node (the runner vitest itself uses), with the
// workspace's `@albert-ts/source` resolution, so crash tests can kill a real process without a prior build.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '..', '..');

function viteNodeBin(): string {
  const req = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'));
  return path.join(path.dirname(req.resolve('vite-node/package.json')), 'vite-node.mjs');
}

/** Spawns `vite-node <script>` with extra environment variables (its arguments) and stdout/stderr piped. */
export function spawnTs(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [viteNodeBin(), '--config', path.join(packageDir, 'vitest.config.ts'), script], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

// Runs a TypeScript entry in a child Node process through vite-node (the runner vitest itself uses), with the
// workspace's `@albert-ts/source` resolution, so crash and signal tests can kill a real process without a build.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

function viteNodeBin(): string {
  const req = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'));
  return path.join(path.dirname(req.resolve('vite-node/package.json')), 'vite-node.mjs');
}

/**
 * The command that runs a TypeScript `script` through vite-node with `packageDir`'s vitest config, for `fork`
 * (`fork(c.modulePath, c.args)` gives the script an IPC channel, as for a compiled entry point).
 */
export function viteNodeCommand(script: string, packageDir: string): { modulePath: string; args: string[] } {
  return { modulePath: viteNodeBin(), args: ['--config', path.join(packageDir, 'vitest.config.ts'), script] };
}

/**
 * Spawns `vite-node <script>` in `packageDir` (whose `vitest.config.ts` it uses) with extra environment variables
 * (the script's arguments), stdout/stderr piped.
 */
export function spawnTs(script: string, env: Record<string, string>, packageDir: string): ChildProcess {
  return spawn(process.execPath, [viteNodeBin(), '--config', path.join(packageDir, 'vitest.config.ts'), script], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

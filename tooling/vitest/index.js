// Shared vitest configuration. Workspace packages resolve to their TypeScript sources through the
// "@albert-ts/source" export condition, so tests never need a prior build of their dependencies.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Repository root (fixtures are read from `<root>/../shared`). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @param {import('vitest/config').UserConfig} [overrides] */
export function albertVitestConfig(overrides = {}) {
  return defineConfig({
    resolve: { conditions: ['@albert-ts/source'] },
    ssr: { resolve: { conditions: ['@albert-ts/source'] } },
    ...overrides,
    test: {
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      pool: 'forks',
      ...(overrides.test ?? {}),
    },
  });
}

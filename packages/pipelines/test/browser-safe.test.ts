// The main entry must load in a browser: no module reachable from src/index.ts imports node: builtins or a Node-only
// entry (`@albert-ts/*/node`); those are for `@albert-ts/pipelines/node`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeOnlyImports, reachableImports } from '@albert-ts/testing';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('@albert-ts/pipelines main entry', () => {
  it('imports no node: module and no Node-only entry, directly or indirectly', () => {
    const entry = path.join(pkg, 'src', 'index.ts');
    expect(reachableImports(entry).size).toBeGreaterThan(8);
    expect(nodeOnlyImports(entry, pkg)).toEqual([]);
  });
});

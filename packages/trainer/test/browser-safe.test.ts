// The main entry must load in a browser worker: no module reachable from src/index.ts imports node: builtins or a
// Node-only entry (`@albert-ts/*/node`), and the package depends on core and tfjs-core only.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeOnlyImports, reachableImports } from '@albert-ts/testing';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('@albert-ts/trainer main entry', () => {
  it('imports no node: module and no Node-only entry, directly or indirectly', () => {
    const entry = path.join(pkg, 'src', 'index.ts');
    expect(reachableImports(entry).size).toBeGreaterThan(10);
    expect(nodeOnlyImports(entry, pkg)).toEqual([]);
  });

  it('depends on @albert-ts/core and @tensorflow/tfjs-core only', () => {
    const json = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));
    expect(Object.keys(json.dependencies)).toEqual(['@albert-ts/core']);
    expect(Object.keys(json.peerDependencies)).toEqual(['@tensorflow/tfjs-core']);
  });
});

// The main entry must load in a browser: no module reachable from src/index.ts imports node: builtins or a Node-only
// entry (`@albert-ts/*/node`); those are for `@albert-ts/pipelines/node`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const specs = [...fs.readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
    seen.set(file, specs);
    for (const s of specs) if (s.startsWith('.')) visit(path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return seen;
}

describe('@albert-ts/pipelines main entry', () => {
  it('imports no node: module and no Node-only entry, directly or indirectly', () => {
    const graph = reachable(path.join(pkg, 'src', 'index.ts'));
    expect(graph.size).toBeGreaterThan(8);
    const bad = [...graph].flatMap(([file, specs]) => specs
      .filter((s) => s.startsWith('node:') || /^@albert-ts\/[^/]+\/node$/.test(s))
      .map((s) => `${path.relative(pkg, file)} imports ${s}`));
    expect(bad).toEqual([]);
  });
});

// Which Node-only modules a package entry pulls in: for the tests that keep main entries browser-safe.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Follows the relative `import`/`export ... from` specifiers of the TypeScript sources from `entry` (a `.ts` file)
 * and returns every module reachable from it with its specifiers.
 */
export function reachableImports(entry: string): Map<string, string[]> {
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

/** `file imports spec` for every `node:` builtin or Node-only entry (`@albert-ts/x/node`) reachable from `entry`. */
export function nodeOnlyImports(entry: string, root = path.dirname(entry)): string[] {
  return [...reachableImports(entry)].flatMap(([file, specs]) => specs
    .filter((s) => s.startsWith('node:') || /^@albert-ts\/[^/]+\/node$/.test(s))
    .map((s) => `${path.relative(root, file)} imports ${s}`));
}

// Fixture paths.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Repository root, found from this file (packages/testing/src or dist). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** `../shared` beside the repository root: reference fixtures live there. */
export const sharedDir = path.resolve(repoRoot, '..', 'shared');

/** Absolute path of a file under `../shared/fixtures`. */
export function fixturePath(...parts: string[]): string {
  return path.join(sharedDir, 'fixtures', ...parts);
}

/** Reads and parses a JSON fixture. */
export function readJsonFixture<T = unknown>(...parts: string[]): T {
  return JSON.parse(fs.readFileSync(fixturePath(...parts), 'utf8')) as T;
}

/** Reads a binary fixture (e.g. a `.safetensors` file). */
export function readBinaryFixture(...parts: string[]): Uint8Array {
  return new Uint8Array(fs.readFileSync(fixturePath(...parts)));
}


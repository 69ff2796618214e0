// Where the programs under test and the fixtures are: the built CLI and ablation runner of this repository.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is `tooling/crash-safety/dist/paths.js` once built). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** `albert` (apps/cli). */
export const CLI = path.join(REPO_ROOT, 'apps', 'cli', 'dist', 'bin.js');
/** `pnpm ablation` (apps/ablation). */
export const ABLATION = path.join(REPO_ROOT, 'apps', 'ablation', 'dist', 'bin.js');
/** The shared fixtures (a sibling of the repository, as for the tests). */
export const FIXTURES = process.env['ALBERT_FIXTURES'] ?? path.join(REPO_ROOT, '..', 'shared', 'fixtures');
/** The 2,000-piece SentencePiece vocabulary every stage trains with. */
export const VOCAB = path.join(FIXTURES, 'sentencepiece', 'unigram2k.model');

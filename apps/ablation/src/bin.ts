#!/usr/bin/env node
// Entry point of `pnpm ablation`: runs the grid, writes the report, prints where it is.
import { runMain } from '@albert-ts/core/process';
import { main } from './main.js';

// No process.exit(): it would drop output still queued for a slow pipe reader. runMain sets the exit code; main()
// has shut down the wasm worker threads.
void runMain('ablation', () => main(process.argv.slice(2)));

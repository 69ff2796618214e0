#!/usr/bin/env node
import { runMain } from '@albert-ts/core/process';
import { main } from './main.js';

// No process.exit(): it would drop output still queued for a slow pipe reader (`pnpm bench --json | ...`). runMain
// sets the exit code; main() has shut down the wasm worker threads.
void runMain('albert-bench', () => main(process.argv.slice(2)));

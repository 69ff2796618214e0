#!/usr/bin/env node
// Entry point of `pnpm ablation`: runs the grid, writes the report, prints where it is.
import { main } from './main.js';

// Exit explicitly: the threaded wasm backend's worker threads would otherwise keep Node alive after the report.
process.exit(await main(process.argv.slice(2)));

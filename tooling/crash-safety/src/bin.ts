#!/usr/bin/env node
// Entry point of `pnpm crash-safety`.
import { runMain } from '@albert-ts/core/process';
import { main } from './main.js';

void runMain('crash-safety', () => main(process.argv.slice(2)));

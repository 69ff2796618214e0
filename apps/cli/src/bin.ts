#!/usr/bin/env node
import { runMain } from '@albert-ts/core/process';
import { main } from './main.js';

// No process.exit(): it would drop output still queued for a slow pipe reader. runMain sets the exit code and Node
// exits once stdout is flushed; main() has shut down the wasm worker threads of the commands that used them.
void runMain('albert', () => main(process.argv.slice(2)));

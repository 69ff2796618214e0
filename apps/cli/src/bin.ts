#!/usr/bin/env node
import { main } from './main.js';

// Exit explicitly: the multi-threaded wasm backend keeps worker threads alive after the work is done, which would
// otherwise keep the process running. Writes to stdout/stderr are synchronous for files and pipes on Linux.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`albert: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);

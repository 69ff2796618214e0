import { AlbertError } from '@albert-ts/errors';
import { backendSelected } from './backend-state.js';
import type { Command } from './command.js';

/** Lazily imported commands, so that `albert tokenize` never loads TensorFlow.js. Add one line per command. */
const commands: Record<string, () => Promise<Command>> = {
  pretrain: () => import('./commands/pretrain.js').then((m) => m.command),
  sweep: () => import('./commands/sweep.js').then((m) => m.command),
  finetune: () => import('./commands/finetune.js').then((m) => m.command),
  'compare-init': () => import('./commands/compare-init.js').then((m) => m.command),
  eval: () => import('./commands/eval.js').then((m) => m.command),
  params: () => import('./commands/params.js').then((m) => m.command),
  forward: () => import('./commands/forward.js').then((m) => m.command),
  tokenize: () => import('./commands/tokenize.js').then((m) => m.command),
  'pretraining-data': () => import('./commands/pretraining-data.js').then((m) => m.command),
  'train-tokenizer': () => import('./commands/train-tokenizer.js').then((m) => m.command),
};

function usage(): string {
  return `usage: albert <command> [options]\ncommands: ${Object.keys(commands).sort().join(', ')}`;
}

/**
 * Entry point: dispatches to a command. Every library error extends `AlbertError` (so does `UsageError`): it is
 * something the user can fix and becomes one line on stderr and exit code 2; anything else is a bug (exit 1).
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined; // not `toString` & co. from the prototype
  if (load === undefined) {
    process.stderr.write(`albert: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  try {
    const command = await load();
    return await command.run(rest);
  } catch (err) {
    // Not an AlbertError, and rethrown: an OutputClosedError (the reader left), whose exit code runMain sets.
    if (err instanceof AlbertError) {
      process.stderr.write(`albert ${name}: ${err.message.split('\n')[0]}\n`);
      return 2;
    }
    throw err;
  } finally {
    // The threaded wasm backend's worker threads: released here rather than left to process.exit().
    if (backendSelected()) (await import('@albert-ts/backends')).shutdownBackends();
  }
}

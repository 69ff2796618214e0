import path from 'node:path';
import { ablate } from './ablate.js';
import { USAGE, parseCli } from './cli.js';
import { AlbertError } from '@albert-ts/errors';
import { AblationInterrupted } from './errors.js';

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const o = parseCli(argv);
    if (o.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    // Imported lazily so that --help and argument errors do not load TensorFlow.js.
    const { createAlbertEngine } = await import('./engine.js');
    const engine = createAlbertEngine({ backend: o.backend, threads: o.threads });
    process.stderr.write(`ablation: preset ${o.preset.name} (${o.preset.description}) -> ${o.out}\n`);
    const r = await ablate({ preset: o.preset, engine, out: o.out, only: o.only, seeds: o.seeds });
    const rel = (p: string) => path.relative(process.cwd(), p) || p;
    process.stdout.write(
      [
        `report: ${rel(r.files.html)}`,
        `        ${rel(r.files.markdown)}`,
        `        ${rel(r.files.results)}`,
        ...r.files.claims.map((c) => `  ${c.source.padEnd(10)} ${c.verdict.padEnd(27)} ${c.claim}`),
      ].join('\n') + '\n',
    );
    return 0;
  } catch (e) {
    if (e instanceof AblationInterrupted) {
      process.stderr.write(`ablation: ${e.message}\n`);
      return 130;
    }
    // Bad input and every library error (all extend AlbertError): the message is the whole story, exit 2.
    if (e instanceof AlbertError) {
      process.stderr.write(`ablation: ${e.message.split('\n')[0]}\n`);
      return 2;
    }
    throw e;
  }
}

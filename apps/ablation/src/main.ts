import path from 'node:path';
import { writeOutput } from '@albert-ts/core/process';
import { ablate } from './ablate.js';
import { USAGE, parseCli } from './cli.js';
import { AlbertError } from '@albert-ts/errors';
import { AblationInterrupted } from './errors.js';

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let loadedBackend = false;
  try {
    const o = parseCli(argv);
    if (o.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const rel = (p: string) => path.relative(process.cwd(), p) || p;
    if (o.sweep) {
      // Imported lazily so that --help and argument errors do not load TensorFlow.js.
      loadedBackend = true;
      const { sweepPreset } = await import('./sweep.js');
      process.stderr.write(`ablation: learning-rate sweep of preset ${o.preset.name} -> ${o.out}\n`);
      const r = await sweepPreset(o.preset, {
        backend: o.backend, threads: o.threads, out: o.out, optimizers: o.sweep.optimizers, rates: o.sweep.rates,
        tokensPerCell: o.sweep.tokens, seeds: o.seeds,
      });
      await writeOutput(`${r.markdown}\nsweep: ${rel(path.join(o.out, 'sweep.md'))}\n`);
      return r.results.every((x) => x.complete) ? 0 : 130;
    }
    loadedBackend = true;
    const engine = o.parallel > 1
      ? (await import('./child-engine.js')).createChildProcessEngine({ backend: o.backend, threads: o.threads, parallel: o.parallel })
      : (await import('./engine.js')).createAlbertEngine({ backend: o.backend, threads: o.threads });
    process.stderr.write(`ablation: preset ${o.preset.name} (${o.preset.description}) -> ${o.out}\n`);
    const r = await ablate({ preset: o.preset, engine, out: o.out, only: o.only, seeds: o.seeds });
    const t = r.results.timing;
    await writeOutput(
      [
        `report: ${rel(r.files.html)}`,
        `        ${rel(r.files.markdown)}`,
        `        ${rel(r.files.results)}`,
        ...(t ? [`time:   pretraining ${(100 * t.pretrain_share).toFixed(0)}% of ${Math.round(t.prepare_s + t.setup_s + t.pretrain_s + t.eval_s + t.finetune_s + t.report_s)} s summed over runs; ${Math.round(t.wall_s)} s wall`] : []),
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
  } finally {
    // This process's wasm worker threads (--parallel workers end with their processes): released, not process.exit().
    if (loadedBackend) (await import('@albert-ts/backends')).shutdownBackends();
  }
}

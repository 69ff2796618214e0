// Throughput of the playground's tiny training step (harness/tiny-step.ts: albert-tiny E=64 all-shared, MLM + SOP,
// batches of 8 × 64 tokens, AdamW at 5e-3, the trainer's `train()`; SIZE=micro for the smaller model of the wasm-vs-webgpu
// test) on three targets in one run, interleaved round by round so that machine load hits each alike:
//   browser wasm, 2 threads   (headless chromium, cross-origin isolated page)
//   browser webgpu            (headless chromium on the SwiftShader adapter: a CPU emulation of a GPU, so this
//                              figure measures the WebGPU path's overhead, not GPU speed)
//   node wasm, 2 threads      (this process, @albert-ts/backends' Node entry)
// Prints a Markdown table (tokens/s: median of the rounds, min–max). Not a test; run it on a quiet machine, from
// apps/playground, after `corepack pnpm turbo run build --filter=@albert-ts/playground^...`:
//   node ../../node_modules/.pnpm/node_modules/vite-node/vite-node.mjs --config vitest.config.ts scripts/throughput.ts
// env: STEPS (steps per round, default 10), ROUNDS (default 5), WARMUP (untimed steps first, default 3),
// SIZE (tiny, the default, or micro).
import fs from 'node:fs';
import path from 'node:path';
import { shutdownBackends, useBackend } from '@albert-ts/backends';
import { runMain, writeOutput } from '@albert-ts/core/process';
import { launchChromium } from '@albert-ts/testing/browser';
import { HARNESS_SIZES, type HarnessSize, TinyTrainer, tinyInstances } from '../harness/tiny-step.js';
import { TOKENS_PER_BATCH } from '../src/worker/dataset.js';
import { appDir, buildAndServe } from '../test/helpers/app-server.js';

/** A bad setting: one line on stderr, exit code 2. */
class SettingError extends Error {}

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  const v = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(v) || v < min) throw new SettingError(`${name} must be an integer >= ${min}, got ${raw}`);
  return v;
}

interface Target {
  name: string;
  detail: string;
  run(steps: number): Promise<{ tokens: number; seconds: number }>;
  rates: number[];
}

async function main(): Promise<number> {
  let STEPS: number, ROUNDS: number, WARMUP: number;
  const SIZE = (process.env['SIZE'] ?? 'tiny') as HarnessSize;
  try {
    STEPS = envInt('STEPS', 10, 1);
    ROUNDS = envInt('ROUNDS', 5, 1);
    WARMUP = envInt('WARMUP', 3, 0);
    if (!(SIZE in HARNESS_SIZES)) throw new SettingError(`SIZE must be one of ${Object.keys(HARNESS_SIZES).join(', ')}, got ${SIZE}`);
  } catch (e) {
    if (!(e instanceof SettingError)) throw e;
    process.stderr.write(`throughput: ${e.message}\n`);
    return 2;
  }
  const THREADS = 2;
  const server = await buildAndServe();
  const browser = await launchChromium({ webgpu: true });
  try {
    const targets: Target[] = [];
    for (const backend of ['wasm', 'webgpu'] as const) {
      const page = targets.length === 0 ? browser.page : await browser.context.newPage();
      page.on('pageerror', (e) => console.error(`page (${backend}): ${e.message}`));
      await page.goto(new URL('harness/parity.html', server.url).href);
      await page.waitForSelector('body[data-ready=true]');
      const info = await page.evaluate(([b, size]) => window.albertHarness.benchStart(b, size), [backend, SIZE] as const);
      targets.push({
        name: `browser ${backend}`,
        detail: backend === 'wasm' ? `${info.threads} threads, crossOriginIsolated` : `adapter ${info.adapter ?? '?'}`,
        run: (steps) => page.evaluate((n) => window.albertHarness.benchRun(n), steps),
        rates: [],
      });
    }
    const info = await useBackend('wasm', { threads: THREADS });
    const data = path.join(appDir, 'public', 'data');
    const node = new TinyTrainer(await tinyInstances(
      new Uint8Array(fs.readFileSync(path.join(data, 'spiece.model'))), fs.readFileSync(path.join(data, 'corpus.txt'), 'utf8')), SIZE);
    targets.push({ name: 'node wasm', detail: `${info.threads} threads, Node ${process.version}`, run: (n) => node.run(n), rates: [] });

    if (WARMUP > 0) for (const t of targets) await t.run(WARMUP);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const t of targets) {
        const r = await t.run(STEPS);
        t.rates.push(r.tokens / r.seconds);
      }
      console.error(`round ${round}/${ROUNDS}: ${targets.map((t) => `${t.name} ${Math.round(t.rates.at(-1)!)}`).join(', ')} tokens/s`);
    }
    node.dispose();

    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
    const lines = [
      `Model: ${SIZE}; ${ROUNDS} rounds of ${STEPS} steps after ${WARMUP} warm-up steps, interleaved.`, '',
      '| target | setup | tokens/s (median) | min–max | ms/step |',
      '| --- | --- | ---: | ---: | ---: |',
      ...targets.map((t) => {
        const m = median(t.rates);
        return `| ${t.name} | ${t.detail} | ${fmt(m)} | ${fmt(Math.min(...t.rates))}–${fmt(Math.max(...t.rates))} | ${(TOKENS_PER_BATCH / m * 1000).toFixed(0)} |`;
      }),
    ];
    await writeOutput(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await browser.close();
    await server.close();
    // The threaded wasm backend's worker threads, released here rather than left to process.exit() (which would drop
    // output still queued for a pipe): runMain sets the exit code and Node exits once stdout is flushed.
    shutdownBackends();
  }
}

void runMain('throughput', main);

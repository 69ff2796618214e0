// Child process for the crash test: writes up to 300 checkpoints, each with a 1 MiB payload whose bytes are a
// function of the step, and prints "saved <step>" after each. The parent kills it with SIGKILL mid-write.
import { writeCheckpointDir } from '../../src/node/index.js';

const out = process.env.CKPT_OUT!;
const start = Number(process.env.CKPT_START ?? 1);
// bounded, so an orphan (a parent that died before killing it) stops by itself
for (let step = start; step < start + 300; step++) {
  const payload = new Uint8Array(1 << 20).fill(step & 0xff);
  const text = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));
  writeCheckpointDir(out, step, new Map([
    ['config.json', text({ step })],
    ['model.safetensors', payload],
    ['trainer_state/state.json', text({ step, done: true })],
  ]));
  process.stdout.write(`saved ${step}\n`);
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { latestCheckpoint, listCheckpoints, resolveModelDir, writeCheckpointDir } from '../src/node/index.js';
import { spawnTs } from '@albert-ts/testing';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Files by name, from text. */
const files = (texts: Record<string, string>) => new Map(Object.entries(texts).map(([k, v]) => [k, new TextEncoder().encode(v)]));
const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'albert-ckpt-'));

/** A checkpoint written by checkpoint-writer.ts is intact when every file agrees on the step. */
function checkIntact(dir: string): number {
  const { step } = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { step: number };
  const state = JSON.parse(fs.readFileSync(path.join(dir, 'trainer_state/state.json'), 'utf8')) as { step: number };
  expect(state.step).toBe(step);
  const bytes = fs.readFileSync(path.join(dir, 'model.safetensors'));
  expect(bytes.length).toBe(1 << 20);
  expect(bytes.every((b) => b === (step & 0xff))).toBe(true);
  return step;
}

describe('checkpoint directory layout', () => {
  it('writes step dirs, a latest pointer, keeps the newest two and resolves --model', () => {
    const out = tmpDir();
    expect(latestCheckpoint(out)).toBeUndefined();
    for (const step of [5, 10, 15]) {
      writeCheckpointDir(out, step, files({ 'config.json': `{"step":${step}}`, 'trainer_state/x': 'y' }));
    }
    expect(listCheckpoints(out).map((c) => c.step)).toEqual([10, 15]);
    expect(latestCheckpoint(out)).toBe(path.join(out, 'checkpoints', 'step-00000015'));
    expect(resolveModelDir(out)).toBe(latestCheckpoint(out));
    expect(resolveModelDir(latestCheckpoint(out)!)).toBe(latestCheckpoint(out));
    // a stale pointer (crash after the rename, before the pointer update) falls back to the newest complete dir
    fs.writeFileSync(path.join(out, 'latest'), 'step-00000099\n');
    expect(latestCheckpoint(out)).toBe(path.join(out, 'checkpoints', 'step-00000015'));
    // a leftover temp dir is never returned and is cleaned by the next save
    fs.mkdirSync(path.join(out, 'checkpoints', '.tmp-step-00000016-1'));
    expect(latestCheckpoint(out)).toBe(path.join(out, 'checkpoints', 'step-00000015'));
    writeCheckpointDir(out, 20, files({ 'config.json': '{}' }));
    expect(fs.readdirSync(path.join(out, 'checkpoints'))).toEqual(['step-00000015', 'step-00000020']);
    fs.rmSync(out, { recursive: true });
  });

  it('survives kill -9 at random moments: the latest checkpoint is always complete', async () => {
    const out = tmpDir();
    let lastSaved = 0;
    for (let round = 0; round < 3; round++) {
      const child = spawnTs(path.join(here, 'helpers', 'checkpoint-writer.ts'), { CKPT_OUT: out, CKPT_START: String(lastSaved + 1) }, path.dirname(here));
      let saved = lastSaved;
      child.stdout!.on('data', (d: Buffer) => {
        const m = [...d.toString().matchAll(/saved (\d+)/g)];
        if (m.length > 0) saved = Number(m[m.length - 1][1]);
      });
      // wait for a few saves, then kill at a pseudo-random point inside a later one
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const ready = await Promise.race([
        new Promise<boolean>((resolve) => {
          const t = setInterval(() => {
            if (saved >= lastSaved + 3) { clearInterval(t); setTimeout(() => resolve(true), 3 + round * 7); }
          }, 2);
        }),
        exited.then(() => false),
      ]);
      expect(ready, stderr).toBe(true);
      child.kill('SIGKILL');
      await exited;
      const dir = latestCheckpoint(out);
      expect(dir).toBeDefined();
      const step = checkIntact(dir!);
      expect(step).toBeGreaterThanOrEqual(saved);
      lastSaved = step;
    }
    fs.rmSync(out, { recursive: true });
  });
});

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type PretrainingInstance, readInstancesJsonl, streamInstancesJsonl, writeInstancesJsonl } from '../src/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-jsonl-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const instance = (i: number): PretrainingInstance => ({
  inputIds: [2, 10 + i, 3], tokenTypeIds: [0, 0, 0], maskedLmPositions: [1], maskedLmIds: [10 + i], label: i % 2 as 0 | 1,
  doc: `d${i}`, docB: `d${i}`,
});

describe('writeInstancesJsonl', () => {
  it('writes atomically, reads back, and streams the same bytes through any sink', async () => {
    const file = path.join(dir, 'x.jsonl');
    expect(await writeInstancesJsonl(file, [0, 1, 2].map(instance))).toBe(3);
    expect(await readInstancesJsonl(file)).toEqual([0, 1, 2].map(instance));
    expect(fs.readdirSync(dir)).toEqual(['x.jsonl']);
    const chunks: string[] = [];
    expect(await streamInstancesJsonl([0, 1, 2].map(instance), async (c) => { chunks.push(c); })).toBe(3);
    expect(chunks.join('')).toBe(fs.readFileSync(file, 'utf8'));
  });

  it('writes a FIFO in place (a rename would have replaced it with a regular file)', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const cat = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    const received = new Promise<string>((resolve) => {
      let text = '';
      cat.stdout.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('end', () => resolve(text));
    });
    expect(await writeInstancesJsonl(fifo, [instance(0)])).toBe(1);
    expect(await received).toBe(`${JSON.stringify({ input_ids: [2, 10, 3], token_type_ids: [0, 0, 0], masked_lm_positions: [1], masked_lm_ids: [10], label: 0, doc: 'd0' })}\n`);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from '../src/node/index.js';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-atomic-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

for (const [label, write] of [
  ['writeFileAtomic', writeFileAtomic],
  ['writeFileAtomicSync', async (p: string, d: Uint8Array | string) => writeFileAtomicSync(p, d)],
] as const) {
  describe(label, () => {
    it('creates the file with exactly the given bytes and leaves no temp file', async () => {
      const target = path.join(dir, 'model.safetensors');
      const bytes = new Uint8Array([0, 1, 2, 255, 254]);
      await write(target, bytes);
      expect(new Uint8Array(fs.readFileSync(target))).toEqual(bytes);
      expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);
    });

    it('writes a FIFO in place instead of replacing it, and replaces a symlink\'s target, not the link', async () => {
      const fifo = path.join(dir, 'pipe');
      execFileSync('mkfifo', [fifo]);
      // The reader is another process: a synchronous open of a FIFO blocks this thread until a reader opens it.
      const cat = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
      const reader = new Promise<string>((resolve) => {
        let text = '';
        cat.stdout.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('end', () => resolve(text));
      });
      await write(fifo, 'through the pipe');
      expect(await reader).toBe('through the pipe');
      expect(fs.statSync(fifo).isFIFO()).toBe(true); // a rename would have turned it into a regular file
      const real = path.join(dir, 'real.json');
      fs.writeFileSync(real, 'old');
      const link = path.join(dir, 'link.json');
      fs.symlinkSync(real, link);
      await write(link, 'new');
      expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
      expect(fs.readFileSync(real, 'utf8')).toBe('new');
      expect(fs.readdirSync(dir).sort()).toEqual(['link.json', 'pipe', 'real.json']);
    });

    it('replaces an existing file (strings are written as UTF-8)', async () => {
      const target = path.join(dir, 'config.json');
      fs.writeFileSync(target, 'old contents that are longer than the new ones');
      await write(target, '{"é":1}');
      expect(fs.readFileSync(target, 'utf8')).toBe('{"é":1}');
      expect(fs.readdirSync(dir)).toEqual(['config.json']);
    });

    it('writes only the viewed bytes of a subarray', async () => {
      const target = path.join(dir, 'x.bin');
      await write(target, new Uint8Array([9, 1, 2, 9]).subarray(1, 3));
      expect([...fs.readFileSync(target)]).toEqual([1, 2]);
    });

    it('fails without touching the target or leaving a temp file when the rename cannot happen', async () => {
      const target = path.join(dir, 'occupied');
      fs.mkdirSync(target);
      fs.writeFileSync(path.join(target, 'keep.txt'), 'keep');
      await expect(write(target, 'new')).rejects.toThrow();
      expect(fs.readFileSync(path.join(target, 'keep.txt'), 'utf8')).toBe('keep');
      expect(fs.readdirSync(dir)).toEqual(['occupied']);
    });

    it('fails when the directory does not exist', async () => {
      await expect(write(path.join(dir, 'missing', 'f.bin'), 'x')).rejects.toThrow(/ENOENT/);
      expect(fs.readdirSync(dir)).toEqual([]);
    });
  });
}

it('concurrent writers to one path leave one complete version and no temp files', async () => {
  const target = path.join(dir, 'race.bin');
  const versions = Array.from({ length: 16 }, (_, i) => new Uint8Array(50_000).fill(i));
  await Promise.all(versions.map((v) => writeFileAtomic(target, v)));
  const final = fs.readFileSync(target);
  expect(final.length).toBe(50_000);
  expect(final.every((b) => b === final[0])).toBe(true);
  expect(fs.readdirSync(dir)).toEqual(['race.bin']);
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

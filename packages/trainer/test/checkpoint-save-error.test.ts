import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointSaveError } from '../src/index.js';
import { latestCheckpoint, listCheckpoints, writeCheckpointDir } from '../src/node/index.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const files = (step: number) => new Map([
  ['config.json', bytes(`{"step":${step}}`)],
  ['model.safetensors', new Uint8Array(4096).fill(step)],
  ['trainer_state/state.json', bytes(`{"step":${step}}`)],
]);

/** An error as Node's fs raises it. */
function errnoError(code: string, message: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}, ${syscall}`), { code, syscall, errno: -28 });
}

/** A writer that writes half of `failOn` and then fails with `code`; every other file is written whole. */
function failingWriter(failOn: string, code: string, message: string) {
  return (file: string, data: Uint8Array) => {
    if (path.basename(file) !== failOn) return fs.writeFileSync(file, data);
    fs.writeFileSync(file, data.subarray(0, data.length >> 1));
    throw errnoError(code, message, 'write');
  };
}

describe('a checkpoint write that fails (ENOSPC, EDQUOT, EIO)', () => {
  for (const [code, message, failOn] of [
    ['ENOSPC', 'no space left on device', 'model.safetensors'],
    ['EDQUOT', 'disk quota exceeded', 'state.json'],
    ['EIO', 'i/o error', 'config.json'],
  ] as const) {
    it(`${code} on ${failOn}: removes the partial directory, keeps the previous checkpoints and latest, one-line error`, () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-enospc-'));
      writeCheckpointDir(out, 5, files(5));
      writeCheckpointDir(out, 10, files(10));
      let err: unknown;
      try {
        writeCheckpointDir(out, 15, files(15), 2, { writeFile: failingWriter(failOn, code, message) });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CheckpointSaveError);
      const e = err as CheckpointSaveError;
      expect(e.code).toBe(code);
      expect(e.step).toBe(15);
      expect(e.path).toMatch(new RegExp(`checkpoints/\\.tmp-step-00000015-${process.pid}/(trainer_state/)?${failOn}$`));
      expect(e.message).toBe(`cannot save the checkpoint of step 15: ${code} (${message}) at ${e.path}; the previous checkpoint and the latest pointer are unchanged`);
      expect(fs.readdirSync(path.join(out, 'checkpoints'))).toEqual(['step-00000005', 'step-00000010']);
      expect(listCheckpoints(out).map((c) => c.step)).toEqual([5, 10]);
      expect(latestCheckpoint(out)).toBe(path.join(out, 'checkpoints', 'step-00000010'));
      expect(fs.readFileSync(path.join(out, 'latest'), 'utf8')).toBe('step-00000010\n');
      for (const step of [5, 10]) {
        const dir = path.join(out, 'checkpoints', `step-${String(step).padStart(8, '0')}`);
        for (const [name, data] of files(step)) expect(new Uint8Array(fs.readFileSync(path.join(dir, name)))).toEqual(data);
      }
      // once there is room again, the same step saves normally
      expect(writeCheckpointDir(out, 15, files(15))).toBe(path.join(out, 'checkpoints', 'step-00000015'));
      expect(listCheckpoints(out).map((c) => c.step)).toEqual([10, 15]);
      fs.rmSync(out, { recursive: true });
    });
  }

  it('a failure outside the temp directory (the checkpoints folder cannot be created) is typed too', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'albert-enospc-'));
    fs.writeFileSync(path.join(out, 'checkpoints'), 'a file where the folder should be');
    expect(() => writeCheckpointDir(out, 1, files(1))).toThrow(/^cannot save the checkpoint of step 1: EEXIST \(file already exists\) at .*checkpoints;/);
    fs.rmSync(out, { recursive: true });
  });
});

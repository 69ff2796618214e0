import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.js';
import { AblationError } from '../src/errors.js';

describe('parseCli', () => {
  it('defaults: demo, wasm, reports/<timestamp>', () => {
    const o = parseCli([], new Date('2026-01-02T03:04:05.678Z'));
    expect(o.preset.name).toBe('demo');
    expect(o.backend).toBe('wasm');
    expect(o.out).toBe('reports/2026-01-02T03-04-05Z');
  });
  it('parses every flag', () => {
    const o = parseCli(['--preset', 'full', '--backend', 'cpu', '--threads', '2', '--parallel', '2', '--only', 'objective,E=16 not-shared', '--seeds', '3', '--out', 'x']);
    expect(o).toMatchObject({ backend: 'cpu', threads: 2, parallel: 2, only: ['objective', 'E=16 not-shared'], seeds: 3, out: 'x' });
    expect(o.preset.name).toBe('full');
    expect(o.sweep).toBeUndefined();
    expect(parseCli([], new Date(), 1)).toMatchObject({ parallel: 1 });
    expect(parseCli([], new Date(), 1).threads).toBeUndefined();
    // one single-threaded worker per core (at most 4), the cores divided among them; explicit values win
    expect(parseCli([], new Date(), 2)).toMatchObject({ parallel: 2, threads: 1 });
    expect(parseCli([], new Date(), 16)).toMatchObject({ parallel: 4, threads: 4 });
    expect(parseCli(['--threads', '2'], new Date(), 2)).toMatchObject({ parallel: 1, threads: 2 });
    expect(parseCli(['--parallel', '3'], new Date(), 2)).toMatchObject({ parallel: 3 });
    expect(parseCli(['--backend', 'node'], new Date(), 8)).toMatchObject({ parallel: 1 });
    expect(parseCli(['--sweep'], new Date(), 8)).toMatchObject({ parallel: 1 });
  });
  it('--sweep with its overrides', () => {
    const o = parseCli(['--preset', 'demo', '--sweep', '--optimizers', 'adamw', '--rates', '1e-3,3e-3', '--tokens', '250000'], new Date('2026-01-02T03:04:05.678Z'));
    expect(o.sweep).toEqual({ optimizers: ['adamw'], rates: [1e-3, 3e-3], tokens: 250000 });
    expect(o.out).toBe('reports/sweep-demo-2026-01-02T03-04-05Z');
  });
  it.each([
    [['--preset', 'huge'], "--preset: 'huge' is not one of smoke, demo, quick, full"],
    [['--backend', 'webgl'], "--backend: 'webgl'"],
    [['--threads', '0'], "--threads: '0' must be an integer"],
    [['--seeds', '2.5'], "--seeds: '2.5'"],
    [['--only', 'tables'], "--only: 'tables' is not a study or run of preset demo"],
    [['--only', 'sharing,E=32 all-shared'], "--only: 'E=32 all-shared'"],
    [['--parallel', '0'], "--parallel: '0' must be an integer"],
    [['--rates', '1e-3'], '--rates: only with --sweep'],
    [['--sweep', '--rates', 'fast'], "--rates: 'fast' is not a positive number"],
    [['--bogus'], 'bogus'],
  ])('%j is a one-line usage error', (argv, msg) => {
    let err: unknown;
    try {
      parseCli(argv as string[]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AblationError);
    expect((err as Error).message).toContain(msg);
    expect((err as Error).message).not.toContain('\n');
  });
});

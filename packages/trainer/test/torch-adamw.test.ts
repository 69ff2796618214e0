// `AdamW` ('adamw') against torch.optim.AdamW itself: test/fixtures/torch-adamw.json was written by
// scripts/torch-adamw-reference.py (Debian python3-torch 1.13.1, float32, HF Trainer's decay/no-decay groups): 25
// steps with a varying rate, one parameter that gets a gradient only every third step. Also resumed half-way from
// exported slots, which must not change a bit on cpu.
import '@tensorflow/tfjs-backend-cpu';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from '../src/index.js';

interface TorchTrajectory {
  shapes: Record<string, number[]>;
  init: Record<string, number[]>;
  steps: { lr: number; grads: Record<string, number[]> }[];
  final: Record<string, number[]>;
  state_step: Record<string, number>;
}

const ref = JSON.parse(fs.readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'torch-adamw.json'), 'utf8')) as TorchTrajectory;

function run(from: number, to: number, opt: AdamW, params: Map<string, tf.Variable>): void {
  for (let s = from; s < to; s++) {
    const grads = new Map(Object.entries(ref.steps[s].grads).map(([n, g]) => [n, tf.tensor(g, ref.shapes[n])]));
    opt.applyGradients(params, grads, ref.steps[s].lr);
    tf.dispose([...grads.values()]);
  }
}

const fresh = () => new Map(Object.entries(ref.init).map(([n, w]) => [n, tf.variable(tf.tensor(w, ref.shapes[n]))]));

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('AdamW matches torch.optim.AdamW', () => {
  it('every final weight within 1e-6 (relative above 1) after 25 steps, and torch\'s per-parameter step counts', () => {
    const params = fresh();
    const opt = new AdamW();
    run(0, ref.steps.length, opt, params);
    for (const [n, want] of Object.entries(ref.final)) {
      const got = params.get(n)!.dataSync();
      want.forEach((w, i) => expect(Math.abs(got[i] - w), `${n}[${i}]`).toBeLessThan(1e-6 * Math.max(1, Math.abs(w))));
      expect(opt.exportSlots().get(`${n}/step`)!.data[0], n).toBe(ref.state_step[n]);
    }
    tf.dispose([...params.values()]);
    opt.dispose();
  });

  it('a run resumed at step 12 from exported slots equals the uninterrupted one bit for bit (cpu)', () => {
    const whole = fresh();
    const a = new AdamW();
    run(0, ref.steps.length, a, whole);
    const first = fresh();
    const b = new AdamW();
    run(0, 12, b, first);
    const resumed = new AdamW();
    resumed.importSlots(b.exportSlots(), new Map(Object.entries(ref.shapes)));
    run(12, ref.steps.length, resumed, first);
    for (const n of Object.keys(ref.shapes)) expect(Array.from(first.get(n)!.dataSync()), n).toEqual(Array.from(whole.get(n)!.dataSync()));
    tf.dispose([...whole.values(), ...first.values()]);
    for (const o of [a, b, resumed]) o.dispose();
  });
});

import { describe, expect, it } from 'vitest';
import { classificationMetrics, createProgressReporter, formatDuration, formatProgress } from '../src/index.js';

describe('classificationMetrics', () => {
  it('binary: accuracy and positive-class F1 by hand', () => {
    // labels 1 1 1 0 0 0, preds 1 0 1 1 0 0: tp=2 fp=1 fn=1 -> P=2/3 R=2/3 F1=2/3; class 0: tp=2 fp=1 fn=1 -> 2/3
    const m = classificationMetrics([1, 0, 1, 1, 0, 0], [1, 1, 1, 0, 0, 0], 2);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(m.macroF1).toBeCloseTo(2 / 3, 12);
    expect(m.count).toBe(6);
    // never predicting the positive class: F1 0, accuracy from the majority
    expect(classificationMetrics([0, 0, 0, 0], [0, 0, 0, 1], 2)).toMatchObject({ accuracy: 0.75, f1: 0 });
  });
  it('multi-class: macro F1 over classes present', () => {
    // labels 0 1 2 2, preds 0 2 2 2: class0 F1 1; class1 tp0 fn1 -> 0; class2 tp2 fp1 -> 4/5
    const m = classificationMetrics([0, 2, 2, 2], [0, 1, 2, 2], 3);
    expect(m.f1).toBeCloseTo((1 + 0 + 0.8) / 3, 12);
    expect(m.accuracy).toBe(0.75);
  });
});

describe('progress', () => {
  it('formats durations and lines', () => {
    expect(formatDuration(3723)).toBe('1h02m03s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(Infinity)).toBe('?');
    expect(formatProgress({ step: 3, totalSteps: 10, loss: 1.5, learningRate: 0.001, tokensPerSecond: 999.6, etaSeconds: 7 }))
      .toBe('step 3/10  loss 1.5000  lr 1.00e-3  1000 tok/s  eta 7s');
  });
  it('writes plain lines every N steps when not a TTY, and a redrawn line on a TTY', () => {
    const plain: string[] = [];
    const r = createProgressReporter({ write: (s: string) => plain.push(s) }, 2);
    for (let step = 1; step <= 5; step++) r.step({ step, totalSteps: 5, loss: 1, learningRate: 1, tokensPerSecond: 1, etaSeconds: 1 });
    expect(plain.map((l) => l.split('  ')[0])).toEqual(['step 2/5', 'step 4/5', 'step 5/5']);
    expect(plain.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    const tty: string[] = [];
    const t = createProgressReporter({ write: (s: string) => tty.push(s), isTTY: true }, 2);
    t.step({ step: 1, totalSteps: 5, loss: 1, learningRate: 1, tokensPerSecond: 1, etaSeconds: 1 });
    t.message('eval');
    t.close();
    expect(tty[0].startsWith('\r\x1b[2K')).toBe(true);
    expect(tty).toContain('eval\n');
  });
});

import '@tensorflow/tfjs-backend-cpu';
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { NonFiniteLossError, TrainerError } from '@albert-ts/trainer';
import { latestCheckpoint, readTrainerState } from '@albert-ts/trainer/node';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';
import { pretrain, type PretrainOptions } from '../src/index.js';
import { VOCAB, microConfig, smallCorpus, tmpOut } from './helpers/tiny.js';

let corpus: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  corpus = smallCorpus();
});

const base = (out: string): PretrainOptions => ({
  config: microConfig(), objective: 'sop', corpus, vocab: VOCAB, steps: 8, batchSize: 4, maxSeqLength: 24,
  lr: 5e-3, warmup: 2, evalEvery: 4, evalExamples: 8, saveEvery: 100, out, progress: false, handleSignals: false,
  seed: 7,
});

describe('pretrain', () => {
  it('resumes bit for bit on cpu: losses after resuming equal an uninterrupted run', async () => {
    const full = await pretrain(base(tmpOut()));
    expect(full.status).toBe('completed');
    expect(full.train.map((t) => t.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const out = tmpOut();
    const first = await pretrain({ ...base(out), stopAfter: 3 });
    expect(first.status).toBe('stopped');
    expect(first.step).toBe(3);
    expect(readTrainerState(latestCheckpoint(out)!).state.step).toBe(3);
    const second = await pretrain({ ...base(out), resume: true });
    expect(second.resumedFrom).toBe(3);
    expect(second.status).toBe('completed');
    expect(second.train.map((t) => t.loss)).toEqual(full.train.map((t) => t.loss));
    expect(second.eval.map((e) => e.mlm_loss)).toEqual(full.eval.map((e) => e.mlm_loss));
    // metrics.jsonl holds exactly the records of the uninterrupted run (ignoring timing fields)
    const strip = (l: string) => { const r = JSON.parse(l); delete r.tokens_per_s; delete r.run; return r; };
    const lines = (d: string) => fs.readFileSync(path.join(d, 'metrics.jsonl'), 'utf8').trim().split('\n').map(strip);
    expect(lines(out)).toEqual(lines(path.dirname(path.dirname(full.checkpoint))));
    // the checkpoint is an HF directory
    for (const f of ['config.json', 'model.safetensors', 'spiece.model', 'tokenizer_config.json', 'special_tokens_map.json',
      'trainer_state/state.json', 'trainer_state/optimizer.safetensors']) {
      expect(fs.existsSync(path.join(second.checkpoint, f)), f).toBe(true);
    }
    const cfg = JSON.parse(fs.readFileSync(path.join(second.checkpoint, 'config.json'), 'utf8'));
    expect(cfg.hidden_size).toBe(16);
    expect(cfg.vocab_size).toBe(500);
    // the tokenizer is saved with its settings, as HF's AutoTokenizer reads them, and loads back the same
    const tokCfg = JSON.parse(fs.readFileSync(path.join(second.checkpoint, 'tokenizer_config.json'), 'utf8'));
    expect(tokCfg).toMatchObject({ tokenizer_class: 'AlbertTokenizer', do_lower_case: true, keep_accents: false,
      remove_space: true, model_max_length: cfg.max_position_embeddings });
    const text = 'The Café [MASK] 1,000 votes.';
    expect(loadAlbertTokenizer(second.checkpoint).encode(text)).toEqual(loadAlbertTokenizer(VOCAB).encode(text));
  });

  it('warns once when held-out MLM accuracy is still at the most-frequent-token rate after a fraction of the run', async () => {
    let stderr = '';
    const r = await pretrain({
      ...base(tmpOut()), lr: 1e-9, steps: 4, evalEvery: 1, baselineWarningAfter: 0.5, progress: { write: (s: string) => { stderr += s; return true; } },
    });
    expect(r.records.filter((x) => x.event === 'mlm-at-baseline').map((x) => x.step)).toEqual([2]);
    expect(stderr.match(/warning: after 2 of 4 steps, held-out MLM accuracy \d\.\d{4} has not left the most-frequent-token rate/g)).toHaveLength(1);
    await expect(pretrain({ ...base(tmpOut()), baselineWarningAfter: 2 })).rejects.toThrow('baselineWarningAfter: 2 must be in [0, 1]');
  });

  it('refuses a resume with different run options and an out dir that already has checkpoints', async () => {
    const out = tmpOut();
    const none = { ...base(out), objective: 'none' as const, steps: 2, evalEvery: 0 };
    const r = await pretrain(none); // objective none: the MLM loss alone, NSP/SOP still evaluated at the end
    expect(r.train[0].mlm_loss).toBe(r.train[0].loss);
    expect(r.eval.map((e) => e.step)).toEqual([2]);
    expect(r.eval[0].untrained_head_on_sop_pairs_accuracy).toBeGreaterThanOrEqual(0);
    expect(r.eval[0].sop_accuracy).toBeUndefined();
    await expect(pretrain(none)).rejects.toThrow(/already has checkpoints/);
    const again = await pretrain({ ...none, resume: true }); // a finished run resumes to its end at once
    expect(again.step).toBe(2);
    expect(again.train.map((t) => t.loss)).toEqual(r.train.map((t) => t.loss));
    await expect(pretrain({ ...none, batchSize: 2, resume: true }))
      .rejects.toThrow('resume: batchSize is 2 but the checkpoint was trained with 4');
  });

  it('stops on a non-finite loss naming the step and keeps the last good checkpoint', async () => {
    const out = tmpOut();
    // lr so large that the weights blow up within a few steps (no clipping effect on the update size of AdamW)
    const err = await pretrain({ ...base(out), optimizer: 'adamw', lr: 1e30, warmup: 0, steps: 30, saveEvery: 1, evalEvery: 0 })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    const m = /^loss is (NaN|Infinity|-Infinity) at step (\d+); stopped without updating the weights; last good checkpoint: (.*)$/.exec((err as Error).message);
    expect(m, (err as Error).message).not.toBeNull();
    const badStep = Number(m![2]);
    expect(latestCheckpoint(out)).toBe(m![3]);
    expect(readTrainerState(m![3]).state.step).toBe(badStep - 1);
  });

  it('validates options with one-line TrainerErrors', async () => {
    await expect(pretrain({ ...base(tmpOut()), objective: 'xyz' as 'sop' })).rejects.toThrow("objective: 'xyz' is not one of sop, nsp, none");
    await expect(pretrain({ ...base(tmpOut()), steps: 0 })).rejects.toThrow('steps: 0 must be an integer >= 1');
    await expect(pretrain({ ...base(tmpOut()), corpus: '/nonexistent' })).rejects.toThrow(/corpus: '\/nonexistent' is neither/);
    await expect(pretrain({ ...base(tmpOut()), maxSeqLength: 1000 })).rejects.toThrow(/maxSeqLength: 1000 exceeds max_position_embeddings=512/);
    const err = await pretrain({ ...base(tmpOut()), batchSize: 0 }).then(() => undefined, (e: unknown) => e as TrainerError);
    expect([err?.name, err?.field, err?.value, err?.message]).toEqual(['TrainerError', 'batchSize', 0, 'batchSize: 0 must be an integer >= 1']);
  });
});

// The real engine: pretrains with @albert-ts/recipes' `pretrain`, evaluates the final checkpoint with its
// `evaluatePretraining` on fixed, length-matched held-out sets (MLM against the most-frequent-token rate, sentence
// heads named by head and pairs next to the cue rules, attention entropy, and the Figure 1 geometry from the same
// forward passes), fine-tunes it and a random-init twin on the downstream tasks, and times every phase. What repeats
// across runs is prepared once: the vocabulary and sampled corpus on disk, the tokenized corpus, the held-out sets
// and each (objective, seed)'s instances in memory.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { type AlbertConfig, configToHf, countParams, presetConfig } from '@albert-ts/core';
import { writeFileAtomic } from '@albert-ts/core/node';
import { type BackendName, useBackend } from '@albert-ts/backends';
import {
  type EvalMetrics, type EvalSets, type PretrainingInputs, type TokenizedCorpus, SENTENCE_METRIC_NAMES,
  evaluatePretraining, heldOutEvalSets, loadPretrainingModel, pretrain, pretrainingInputs, tokenizeCorpus,
} from '@albert-ts/recipes';
import { parseSharing } from '@albert-ts/sharing';
import { trainAlbertTokenizer } from '@albert-ts/tokenizer';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';
import { readTrainerState } from '@albert-ts/trainer/node';
import { GeometryAccumulator, paperTables } from '@albert-ts/analysis';
import type { Engine, MeasuredRun, RunContext } from './ablate.js';
import { pretrainingSplits } from './corpus.js';
import { curvePoint, sentenceKey } from './curves.js';
import { AblationInterrupted } from './errors.js';
import { finetuneTasks } from './finetune.js';
import type { Preset, RunSpec } from './presets.js';
import type { Accuracy, Intrinsic, PairCues, Versions } from './results.js';
import { wilson } from './stats.js';

/** Options of {@link createAlbertEngine}. */
export interface AlbertEngineOptions {
  backend: BackendName;
  threads?: number;
  /** An existing SentencePiece `.model` to use instead of training a vocabulary of the preset's size. */
  vocab?: string;
}

/** Base of every run's seed (run seed = BASE + seed index). */
export const SEED_BASE = 1000;
/** Seeds of the fixed held-out sets (the same for every run, so comparisons are paired). */
const FINAL_EVAL_SEED = 4242;
const CURVE_EVAL_SEED = 4243;

function readVersion(pkgJson: string): string {
  try {
    return (JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Versions of everything that produces a number. */
export function engineVersions(backend: string): Versions {
  return {
    'albert-ts': readVersion(path.resolve(here, '..', '..', '..', 'packages', 'core', 'package.json')),
    ablation: readVersion(path.resolve(here, '..', 'package.json')),
    'tfjs-core': tf.version_core,
    node: process.version,
    backend,
  };
}

/** The preset's model config at embedding size E (vocabulary from the trained tokenizer). */
export function runConfig(p: Preset, E: number, vocabSize: number): AlbertConfig {
  return presetConfig('albert-tiny', {
    vocabSize,
    embeddingSize: E,
    hiddenSize: p.model.hiddenSize,
    numHiddenLayers: p.model.numHiddenLayers,
    numAttentionHeads: p.model.numAttentionHeads,
    intermediateSize: p.model.intermediateSize,
    maxPositionEmbeddings: Math.max(p.model.maxSeqLength, p.finetune.maxSeqLength),
  });
}

/**
 * Writes what every run (and every worker process) shares into `sharedDir` once: the sampled corpus and the
 * vocabulary (`spiece.model`, trained on the training documents unless `vocab` is given). Returns the corpus label
 * and the splits.
 */
export async function prepareSharedFiles(
  p: Preset, sharedDir: string, note: (s: string) => void, vocab?: string,
): Promise<{ label: string; splits: Awaited<ReturnType<typeof pretrainingSplits>>['splits']; spiece: string }> {
  const { label, splits } = await pretrainingSplits(p.corpus, p.corpusSample, sharedDir);
  const spiece = path.join(sharedDir, 'spiece.model');
  if (vocab !== undefined && !fs.existsSync(spiece)) await writeFileAtomic(spiece, fs.readFileSync(vocab));
  if (!fs.existsSync(spiece)) {
    note(`training a ${p.model.vocabSize}-piece unigram vocabulary on the training documents (once per report)`);
    const t = trainAlbertTokenizer(splits.train.flatMap((d) => d.sentences), { vocabSize: p.model.vocabSize });
    await writeFileAtomic(spiece, t.sp.toBytes());
  }
  return { label, splits, spiece };
}

const accuracy = (correct: number, n: number): Accuracy => {
  const w = wilson(Math.max(0, Math.min(n, Math.round(correct))), n);
  return { acc: n > 0 ? correct / n : NaN, ci95: [w.lo, w.hi], n };
};

/** The intrinsic block of results.json from a final evaluation. */
export function intrinsicFrom(m: EvalMetrics, sets: EvalSets): Intrinsic {
  const out: Intrinsic = {
    mlm_acc: accuracy(m.mlm_correct, m.mlm_count),
    mlm_loss: m.mlm_loss,
    mlm_baseline: accuracy(m.mlm_baseline * m.mlm_count, m.mlm_count),
    mlm_left_baseline: m.mlm_left_baseline,
  };
  for (const name of SENTENCE_METRIC_NAMES) {
    const acc = m[`${name}_accuracy`];
    if (acc === undefined) continue;
    const n = name.endsWith('nsp_pairs') || name === 'nsp' ? m.nsp_pairs : m.sop_pairs;
    out[sentenceKey(name)] = accuracy(acc * n, n);
  }
  if (sets.cues) {
    const cues = (set: 'sop' | 'nsp'): PairCues => ({
      length_rule: accuracy(sets.cues![set].lengthRule.correct, sets.cues![set].lengthRule.n),
      punctuation_rule: accuracy(sets.cues![set].punctuationRule.correct, sets.cues![set].punctuationRule.n),
    });
    out.pair_cues = { sop: cues('sop'), nsp: cues('nsp') };
  }
  if (m.attention_entropy !== undefined) {
    out.attention_entropy = { mean: m.attention_entropy, uniform: m.attention_entropy_uniform!, by_layer: m.attention_entropy_by_layer ?? [] };
  }
  return out;
}

/** Creates the engine that really trains (backend selected once, at {@link Engine.prepare}). */
export function createAlbertEngine(o: AlbertEngineOptions): Engine {
  let corpus: TokenizedCorpus | undefined;
  let corpusLabel = '';
  let spiece = '';
  let curveSets: EvalSets | undefined;
  let finalSets: EvalSets | undefined;
  const inputsCache = new Map<string, PretrainingInputs>();
  let backendName: string = o.backend;
  let threads = o.threads;

  const engine: Engine = {
    get backend() {
      return backendName;
    },
    get threads() {
      return threads;
    },
    versions: () => engineVersions(backendName),
    paperTables: () => paperTables(parseSharing),

    async prepare(p, sharedDir, note) {
      const info = await useBackend(o.backend, o.threads !== undefined ? { threads: o.threads } : {});
      backendName = info.name;
      if (info.threads > 0) threads = info.threads;
      const shared = await prepareSharedFiles(p, sharedDir, note, o.vocab);
      corpusLabel = shared.label;
      spiece = shared.spiece;
      corpus = await tokenizeCorpus({ corpus: shared.splits, tokenizer: loadAlbertTokenizer(spiece) });
      const t = p.training;
      const sets = (count: number, seed: number) => heldOutEvalSets(corpus!, {
        maxSeqLength: p.model.maxSeqLength, maxPredictionsPerSeq: t.maxPredictionsPerSeq, seed, count,
      });
      finalSets = sets(t.finalPairs, FINAL_EVAL_SEED);
      curveSets = sets(t.curvePairs, CURVE_EVAL_SEED);
      if (!finalSets || !curveSets) throw new Error(`corpus '${p.corpus}' has fewer than 2 held-out documents`);
      const masked = finalSets.sop.reduce((s, x) => s + x.maskedLmIds.length, 0);
      note(`held-out evaluation: ${finalSets.sop.length} SOP and ${finalSets.nsp.length} NSP pairs (${finalSets.lengthMatched ? 'length-matched' : 'NOT length-matched'}), ` +
        `${masked} masked tokens, from ${corpus.heldOut.length} documents; curves on ${curveSets.sop.length} + ${curveSets.nsp.length} pairs`);
    },

    async run(spec: RunSpec, ctx: RunContext): Promise<MeasuredRun> {
      if (!corpus || !finalSets || !curveSets) throw new Error('engine.run before engine.prepare');
      const started = Date.now();
      const p = ctx.preset;
      const t = p.training;
      const T = p.model.maxSeqLength;
      const config = runConfig(p, spec.embeddingSize, corpus.tokenizer.vocabSize);
      const strategy = parseSharing(spec.sharing);
      const seed = SEED_BASE + spec.seed;
      const cacheKey = `${spec.objective}|${seed}`;
      let inputs = inputsCache.get(cacheKey);
      if (!inputs) {
        inputs = pretrainingInputs(corpus, {
          objective: spec.objective, seed, maxSeqLength: T, maxPredictionsPerSeq: t.maxPredictionsPerSeq, dupeFactor: t.dupeFactor, evalExamples: 0,
        });
        inputsCache.set(cacheKey, inputs);
      }
      const setupSeconds = (Date.now() - started) / 1000;
      const r = await pretrain({
        config,
        sharing: strategy,
        objective: spec.objective,
        corpus: corpusLabel,
        vocab: spiece,
        steps: spec.steps,
        batchSize: t.batchSize,
        maxSeqLength: T,
        maxPredictionsPerSeq: t.maxPredictionsPerSeq,
        dupeFactor: t.dupeFactor,
        lr: t.learningRate,
        warmup: Math.floor(t.warmupProportion * spec.steps),
        optimizer: t.optimizer,
        baselineWarning: false, // the report flags a run that never leaves the baseline ("did not learn: recipe")
        evalEvery: Math.max(1, Math.ceil(spec.steps / t.curvePoints)),
        saveEvery: Math.max(1, Math.ceil(spec.steps / t.checkpoints)),
        keepCheckpoints: 1,
        seed,
        out: path.join(ctx.runDir, 'pretrain'),
        resume: true,
        progress: trainerProgressAdapter(ctx),
        inputs,
        evalSets: curveSets,
      });
      if (r.status !== 'completed') {
        throw new AblationInterrupted(`pretraining ${spec.key} ${r.status} at step ${r.step} (checkpoint saved); re-run with the same --out to resume`);
      }
      ctx.note(`evaluating ${spec.key} on ${finalSets.sop.length} + ${finalSets.nsp.length} held-out pairs`);
      const evalStarted = Date.now();
      const { model } = loadPretrainingModel(r.checkpoint);
      const geometry = new GeometryAccumulator();
      let m: EvalMetrics;
      try {
        m = evaluatePretraining(model, spec.objective, finalSets, {
          batchSize: t.batchSize, maxSeqLength: T, maxPredictionsPerSeq: t.maxPredictionsPerSeq, attentionEntropy: true,
          outputHiddenStates: true,
          onBatch: (out, batch, set) => { if (set === 'sop' && out.hiddenStates) geometry.add(out.hiddenStates, batch.attentionMask); },
        });
      } finally {
        model.dispose();
      }
      const evalSeconds = (Date.now() - evalStarted) / 1000;
      const ftStarted = Date.now();
      const down = await finetuneTasks(r.checkpoint, p, seed, ctx, { cacheDir: path.join(ctx.sharedDir, 'random-init'), key: `E${spec.embeddingSize}-${spec.sharing}-s${spec.seed}` });
      const finetuneSeconds = (Date.now() - ftStarted) / 1000;
      const state = readTrainerStateTokens(r.checkpoint);
      const setup = setupSeconds + r.seconds.setup;
      const seconds = {
        setup, pretrain: r.seconds.train, eval: r.seconds.eval + evalSeconds, finetune: finetuneSeconds, total: 0,
      };
      seconds.total = seconds.setup + seconds.pretrain + seconds.eval + seconds.finetune;
      return {
        variant: { embeddingSize: spec.embeddingSize, hiddenSize: config.hiddenSize, sharing: spec.sharing, objective: spec.objective, corpus: corpusLabel },
        params: countParams(config, { sharing: strategy, head: 'none' }).total,
        tokens_per_s: state.elapsed > 0 ? state.tokens / state.elapsed : r.tokensPerSecond,
        wall_s: state.elapsed > 0 ? state.elapsed : seconds.pretrain,
        seconds,
        steps: r.step,
        tokens_seen: state.tokens || r.step * t.batchSize * T,
        intrinsic: intrinsicFrom(m, finalSets),
        downstream: down.accuracy,
        downstream_ci95: down.ci95,
        downstream_majority: down.majority,
        downstream_f1: down.f1,
        ...(down.randomInit ? { downstream_random_init: down.randomInit } : {}),
        ...(down.collapsed.length > 0 ? { downstream_collapsed: down.collapsed } : {}),
        layers: geometry.result(),
        curves: r.eval.map((e) => curvePoint(e, t.batchSize * T)),
        ...(curveSets.cues ? {
          curve_cues: {
            sop: { length_rule: curveSets.cues.sop.lengthRule.accuracy, punctuation_rule: curveSets.cues.sop.punctuationRule.accuracy },
            nsp: { length_rule: curveSets.cues.nsp.lengthRule.accuracy, punctuation_rule: curveSets.cues.nsp.punctuationRule.accuracy },
          },
        } : {}),
        config: {
          model: { ...configToHf(config), albert_ts_sharing: strategy.name },
          training: { ...t, steps: spec.steps, objective: spec.objective, corpus: corpusLabel, parameters_with_heads: r.parameterCount, finetune: p.finetune },
        },
        seed,
        versions: engine.versions(),
      };
    },
  };
  return engine;
}

/** Tokens and seconds of the whole run (across resumes) from the checkpoint's trainer state, when readable. */
function readTrainerStateTokens(checkpoint: string): { tokens: number; elapsed: number } {
  try {
    const s = readTrainerState(checkpoint).state;
    return { tokens: s.tokensSeen ?? 0, elapsed: s.elapsedSeconds ?? 0 };
  } catch {
    return { tokens: 0, elapsed: 0 };
  }
}

/**
 * Turns the trainer's TTY progress lines (`step N/M  loss L ... T tok/s`) into step callbacks and passes its
 * messages (evaluations, resume notices) through as notes.
 */
function trainerProgressAdapter(ctx: RunContext): { write(s: string): boolean; isTTY: boolean } {
  return {
    isTTY: true,
    write(s: string) {
      const text = s.replace(/\r|\x1b\[2K/g, '');
      const m = /step (\d+)\/(\d+)\s+loss (\S+).*?(\d+) tok\/s/.exec(text);
      if (m) ctx.onStep(Number(m[1]), { loss: Number(m[3]), tokensPerS: Number(m[4]) });
      else if (text.trim()) ctx.note(text.trim());
      return true;
    },
  };
}

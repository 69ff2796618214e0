// The real engine: pretrains with @albert-ts/recipes' `pretrain` (itself `train` of @albert-ts/trainer), then evaluates the final checkpoint itself on fixed held-out
// sets (MLM, NSP and SOP accuracy with counts for binomial intervals, and the Figure 1 geometry from the hidden
// states), fine-tunes it on the downstream tasks, and reports exact parameter counts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import {
  type AlbertConfig, type AlbertForPreTraining, configToHf, countParams, createApplyContext, modelFromHf, presetConfig,
} from '@albert-ts/core';
import { readHfDirectory, writeFileAtomic } from '@albert-ts/core/node';
import {
  type PretrainingInstance, type TokenizedDocument, createPretrainingInstances, disposeBatch, fromAlbertTokenizer,
  loadCorpus, toBatchTensors, tokenizeDocuments, vocabInfo,
} from '@albert-ts/data';
import { type BackendName, useBackend } from '@albert-ts/backends';
import { factorized } from '@albert-ts/embeddings';
import { mlm, nsp, sop } from '@albert-ts/objectives';
import { pretrain } from '@albert-ts/recipes';
import { parseSharing } from '@albert-ts/sharing';
import { trainAlbertTokenizer } from '@albert-ts/tokenizer';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';
import { readTrainerState } from '@albert-ts/trainer/node';
import type { Engine, MeasuredRun, RunContext } from './ablate.js';
import { prepareCorpus } from './corpus.js';
import { AblationInterrupted } from './errors.js';
import { finetuneTasks } from './finetune.js';
import { GeometryAccumulator, paperTables } from '@albert-ts/analysis';
import type { Preset, RunSpec } from './presets.js';
import type { Accuracy, CurvePoint, Versions } from './results.js';
import { wilson } from './stats.js';

/** Options of {@link createAlbertEngine}. */
export interface AlbertEngineOptions {
  backend: BackendName;
  threads?: number;
  /** An existing SentencePiece `.model` to use instead of training a vocabulary of the preset's size. */
  vocab?: string;
}

/** Base of every run's seed (run seed = BASE + seed index). */
const SEED_BASE = 1000;
/** Seed of the fixed held-out evaluation sets (the same for every run, so comparisons are paired). */
const EVAL_SEED = 4242;

function readVersion(pkgJson: string): string {
  try {
    return (JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));

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

function accuracy(correct: number, n: number): Accuracy {
  const w = wilson(Math.max(0, Math.min(n, Math.round(correct))), n);
  return { acc: n > 0 ? correct / n : NaN, ci95: [w.lo, w.hi], n };
}

/** Creates the engine that really trains (backend selected once, at {@link Engine.prepare}). */
export function createAlbertEngine(o: AlbertEngineOptions): Engine {
  let spiece = '';
  let corpusSpec = '';
  let vocabSize = 0;
  let heldOut: TokenizedDocument[] = [];
  let evalSets: { sop: PretrainingInstance[]; nsp: PretrainingInstance[] } | undefined;
  let backendName: string = o.backend;
  let threads = o.threads;

  const engine: Engine = {
    get backend() {
      return backendName;
    },
    get threads() {
      return threads;
    },
    versions(): Versions {
      return {
        'albert-ts': readVersion(path.resolve(here, '..', '..', '..', 'packages', 'core', 'package.json')),
        ablation: readVersion(path.resolve(here, '..', 'package.json')),
        'tfjs-core': tf.version_core,
        node: process.version,
        backend: backendName,
      };
    },
    paperTables: () => paperTables(parseSharing),

    async prepare(p, sharedDir, note) {
      const info = await useBackend(o.backend, o.threads !== undefined ? { threads: o.threads } : {});
      backendName = info.name;
      if (info.threads > 0) threads = info.threads;
      corpusSpec = await prepareCorpus(p.corpus, p.corpusSample, sharedDir);
      const corpus = await loadCorpus(corpusSpec);
      spiece = path.join(sharedDir, 'spiece.model');
      if (o.vocab !== undefined && !fs.existsSync(spiece)) await writeFileAtomic(spiece, fs.readFileSync(o.vocab));
      if (!fs.existsSync(spiece)) {
        note(`training a ${p.model.vocabSize}-piece unigram vocabulary on '${p.corpus}' (once per report)`);
        const t = trainAlbertTokenizer(corpus.train.flatMap((d) => d.sentences), { vocabSize: p.model.vocabSize });
        await writeFileAtomic(spiece, t.sp.toBytes());
      }
      const tok = loadAlbertTokenizer(spiece);
      vocabSize = tok.vocabSize;
      const pieces = fromAlbertTokenizer(tok);
      heldOut = await tokenizeDocuments(corpus.heldOut, pieces);
      const vocab = vocabInfo(pieces);
      const make = (objective: 'sop' | 'nsp') => {
        const out: PretrainingInstance[] = [];
        for (const inst of createPretrainingInstances(heldOut, vocab, {
          objective, seed: EVAL_SEED, maxSeqLength: p.model.maxSeqLength, maxPredictionsPerSeq: p.training.maxPredictionsPerSeq,
        })) {
          out.push(inst);
          if (out.length >= p.training.finalEvalSequences) break;
        }
        return out;
      };
      evalSets = { sop: make('sop'), nsp: make('nsp') };
      note(`held-out evaluation: ${evalSets.sop.length} SOP and ${evalSets.nsp.length} NSP sequences from ${heldOut.length} documents`);
    },

    async run(spec: RunSpec, ctx: RunContext): Promise<MeasuredRun> {
      if (!evalSets) throw new Error('engine.run before engine.prepare');
      const p = ctx.preset;
      const t = p.training;
      const config = runConfig(p, spec.embeddingSize, vocabSize);
      const strategy = parseSharing(spec.sharing);
      const seed = SEED_BASE + spec.seed;
      const started = Date.now();
      const pretrainDir = path.join(ctx.runDir, 'pretrain');
      const corpusLabel = p.corpusSample
        ? `${p.corpus} (${p.corpusSample.docsPerSource} documents per source, first ${p.corpusSample.maxSentencesPerDoc} sentences)`
        : p.corpus;
      const r = await pretrain({
        config,
        sharing: strategy,
        objective: spec.objective,
        corpus: corpusSpec,
        vocab: spiece,
        steps: t.steps,
        batchSize: t.batchSize,
        maxSeqLength: p.model.maxSeqLength,
        maxPredictionsPerSeq: t.maxPredictionsPerSeq,
        lr: t.learningRate,
        warmup: t.warmupSteps,
        optimizer: t.optimizer,
        evalEvery: t.evalEvery,
        evalExamples: t.evalSequences,
        saveEvery: t.saveEvery,
        seed,
        out: pretrainDir,
        resume: true,
        progress: trainerProgressAdapter(ctx),
      });
      if (r.status !== 'completed') {
        throw new AblationInterrupted(`pretraining ${spec.key} ${r.status} at step ${r.step} (checkpoint saved); re-run with the same --out to resume`);
      }
      const pretrainWall = (Date.now() - started) / 1000;
      const curves: CurvePoint[] = r.eval.map((e) => ({
        step: e.step,
        tokens: e.step * t.batchSize * p.model.maxSeqLength,
        loss: e.mlm_loss,
        mlm_acc: e.mlm_accuracy,
        nsp_acc: e.nsp_accuracy,
        sop_acc: e.sop_accuracy,
      }));
      const files = readHfDirectory(r.checkpoint);
      ctx.note(`evaluating ${spec.key} on held-out text`);
      const model = modelFromHf(files.config, files.tensors, {
        embeddings: factorized(),
        sharing: strategy,
        objectives: [mlm(), spec.objective === 'nsp' ? nsp() : sop()],
      });
      let evald: ReturnType<typeof evaluateFinal>;
      try {
        evald = evaluateFinal(model, spec.objective === 'nsp' ? 'nsp' : 'sop', evalSets, t.batchSize, p.model.maxSeqLength, t.maxPredictionsPerSeq);
      } finally {
        model.dispose();
      }
      const down = await finetuneTasks(r.checkpoint, p, seed, ctx);
      const params = countParams(config, { sharing: strategy, head: 'none' }).total;
      const state = readTrainerStateTokens(r.checkpoint);
      return {
        variant: { embeddingSize: spec.embeddingSize, hiddenSize: config.hiddenSize, sharing: spec.sharing, objective: spec.objective, corpus: corpusLabel },
        params,
        tokens_per_s: state.elapsed > 0 ? state.tokens / state.elapsed : r.tokensPerSecond,
        wall_s: state.elapsed > 0 ? state.elapsed : pretrainWall,
        steps: r.step,
        tokens_seen: state.tokens || r.step * t.batchSize * p.model.maxSeqLength,
        intrinsic: evald.intrinsic,
        downstream: down.accuracy,
        downstream_ci95: down.ci95,
        downstream_majority: down.majority,
        downstream_f1: down.f1,
        layers: evald.layers,
        curves,
        config: {
          model: { ...configToHf(config), albert_ts_sharing: strategy.name },
          training: { ...t, objective: spec.objective, corpus: corpusLabel, parameters_with_heads: r.parameterCount, finetune: p.finetune },
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

/**
 * Final held-out evaluation of a pretraining model: MLM accuracy over the masked positions of the SOP set, the
 * sentence head's accuracy on the NSP and SOP sets (counts kept for binomial intervals), and the per-layer geometry
 * on the SOP set's tokens.
 */
export function evaluateFinal(
  model: AlbertForPreTraining, sentenceName: 'sop' | 'nsp', sets: { sop: PretrainingInstance[]; nsp: PretrainingInstance[] },
  batchSize: number, maxSeqLength: number, maxPredictions: number,
): { intrinsic: MeasuredRun['intrinsic']; layers: MeasuredRun['layers'] } {
  const mlmHead = model.head('mlm')!;
  const sentHead = model.head(sentenceName)!;
  const geometry = new GeometryAccumulator();
  const ctx = createApplyContext({ training: false, dropoutSeed: 0 });
  let mlmCorrect = 0;
  let mlmN = 0;
  const sent = { sop: { correct: 0, n: 0 }, nsp: { correct: 0, n: 0 } };
  for (const which of ['sop', 'nsp'] as const) {
    const instances = sets[which];
    for (let i = 0; i < instances.length; i += batchSize) {
      const chunk = instances.slice(i, i + batchSize);
      const batch = toBatchTensors(chunk, maxSeqLength, maxPredictions);
      try {
        const outputs = model.albert.apply(
          { inputIds: batch.inputIds, tokenTypeIds: batch.tokenTypeIds, attentionMask: batch.attentionMask },
          { training: false, outputHiddenStates: which === 'sop' },
        );
        try {
          if (which === 'sop' && outputs.hiddenStates) geometry.add(outputs.hiddenStates, batch.attentionMask);
          const v = tf.tidy(() => {
            const s = sentHead.compute(outputs, batch, ctx);
            const list = [tf.reshape(s.metrics[`${sentHead.name}_accuracy`], [])];
            if (which === 'sop') {
              const m = mlmHead.compute(outputs, batch, ctx);
              list.push(tf.reshape(m.metrics[`${mlmHead.name}_accuracy`], []), tf.sum(batch.mlmWeights));
            }
            return tf.stack(list);
          });
          const d = v.dataSync();
          v.dispose();
          sent[which].correct += d[0] * chunk.length;
          sent[which].n += chunk.length;
          if (which === 'sop') {
            mlmCorrect += d[1] * d[2];
            mlmN += d[2];
          }
        } finally {
          tf.dispose([outputs.lastHiddenState, ...(outputs.poolerOutput ? [outputs.poolerOutput] : []), ...(outputs.hiddenStates ?? [])]);
        }
      } finally {
        disposeBatch(batch);
      }
    }
  }
  const counts = new Map<number, number>();
  let targets = 0;
  for (const inst of sets.sop) {
    for (const id of inst.maskedLmIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    targets += inst.maskedLmIds.length;
  }
  const majority = targets > 0 ? Math.max(...counts.values()) / targets : NaN;
  return {
    intrinsic: {
      mlm_majority: majority,
      mlm_acc: accuracy(mlmCorrect, Math.round(mlmN)),
      nsp_acc: accuracy(sent.nsp.correct, sent.nsp.n),
      sop_acc: accuracy(sent.sop.correct, sent.sop.n),
    },
    layers: geometry.result(),
  };
}

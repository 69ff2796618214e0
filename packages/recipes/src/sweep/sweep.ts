// The learning-rate sweep: pretrain one model shape for a token budget at every optimizer × rate × seed, then score
// each cell on one shared held-out set: MLM accuracy with a Wilson interval next to the most-frequent-token rate of
// the same masked tokens ("left the baseline" = disjoint intervals), MLM loss, and attention entropy against
// uniform. One directory per cell, so an interrupted sweep resumes where it stopped.
import fs from 'node:fs';
import path from 'node:path';
import { type AlbertConfig, configToHf, withOverrides } from '@albert-ts/core';
import { loadConfig, writeFileAtomic } from '@albert-ts/core/node';
import { SENTENCE_OBJECTIVES, type SentenceObjective } from '@albert-ts/data';
import { tokenizerFiles } from '@albert-ts/tokenizer';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';
import { NonFiniteLossError, OPTIMIZER_NAMES, type OptimizerName, TrainerError, checkInteger, checkPositive } from '@albert-ts/trainer';
import { withRunLock } from '@albert-ts/trainer/node';
import { wilson } from '../interval.js';
import { type ProgressOption } from '../progress.js';
import { type PretrainingInputs, type TokenizedCorpus, heldOutEvalSets, pretrainingInputs, tokenizeCorpus } from '../pretrain/data.js';
import { type EvalMetrics, type EvalSets, evaluatePretraining } from '../pretrain/evaluate.js';
import { loadPretrainingModel } from '../pretrain/load.js';
import { pretrain } from '../pretrain/pretrain.js';
import { renderSweepMarkdown } from './sweep-report.js';

/** Options of {@link sweep}. */
export interface SweepOptions {
  /** Model shape: a preset name (`albert-tiny`, ...), a config.json path, or a config (vocabSize: of the vocabulary). */
  config: string | AlbertConfig;
  /** Overrides of the config (hiddenSize, numHiddenLayers, embeddingSize, numAttentionHeads, intermediateSize, ...). */
  overrides?: Partial<AlbertConfig>;
  /** Cross-layer sharing (a name of `@albert-ts/sharing`); default: the config's. */
  sharing?: string;
  /** Inter-sentence objective trained with MLM (default `sop`). */
  objective?: SentenceObjective;
  /** Corpus name or path (as `pretrain`), or a corpus tokenized earlier (then `corpusLabel` names it). */
  corpus: string | TokenizedCorpus;
  corpusLabel?: string;
  /** SentencePiece model; without it a vocabulary of the config's vocabSize is trained once (saved as `<out>/spiece.model`). */
  vocab?: string;
  /** Optimizer names (`OPTIMIZER_NAMES` of `@albert-ts/trainer`), e.g. `['adamw', 'lamb']`. */
  optimizers: OptimizerName[];
  /** Peak learning rates: one list tried with every optimizer, or a list per optimizer name. */
  rates: number[] | Record<string, number[]>;
  /** Training tokens per cell; steps = ceil(tokens / (batchSize × maxSeqLength)). */
  tokens: number;
  /** Seeds per cell (default `[0]`). */
  seeds?: number[];
  batchSize: number;
  maxSeqLength: number;
  maxPredictionsPerSeq?: number;
  /** Passes over the corpus when creating instances, each with fresh masks (default 1). */
  dupeFactor?: number;
  /** Warmup as a fraction of the steps (default 0.1). */
  warmupProportion?: number;
  /** Held-out pairs per set of the final evaluation, shared by every cell (default 512; MLM on the SOP set's targets). */
  evalPairs?: number;
  /**
   * Evaluations along each run for its curve (default 4; 0 = only at the end) on a smaller shared set of
   * `curvePairs` pairs per set (default 64).
   */
  curvePoints?: number;
  curvePairs?: number;
  /** Output directory: `cells/<optimizer>-lr<rate>-s<seed>/`, `sweep.json`, `sweep.md`. */
  out: string;
  /** Progress of each cell's pretraining (default stderr); `false` for none. */
  progress?: ProgressOption;
  /** Save and stop on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
  /** Called when a cell finishes (also for cells finished earlier). */
  onCell?: (cell: SweepCell) => void;
}

/** One optimizer × rate × seed. */
export interface SweepCell {
  optimizer: string;
  lr: number;
  seed: number;
  /** `completed`, or `diverged` (a non-finite loss stopped it; no evaluation). */
  status: 'completed' | 'diverged';
  steps: number;
  tokens: number;
  /** Held-out MLM accuracy with its Wilson 95% interval, over `n` masked tokens. */
  mlm: { accuracy: number; lo: number; hi: number; n: number };
  mlm_loss: number;
  /** Always predicting the most frequent masked token of the same targets, with its interval. */
  baseline: { accuracy: number; lo: number; hi: number };
  /** The MLM interval lies above the baseline's. */
  left_baseline: boolean;
  /** Tokens seen at the first curve evaluation whose MLM interval was above the baseline's (null: none). */
  left_baseline_at_tokens: number | null;
  attention_entropy: number;
  attention_entropy_uniform: number;
  /** The sentence head on its pairs (and the other pairs), named as `evaluatePretraining` names them. */
  sentence: Record<string, number>;
  curve: { step: number; tokens: number; mlm_accuracy: number; mlm_loss: number }[];
  tokens_per_s: number;
  seconds: { setup: number; train: number; eval: number };
  error?: string;
}

/** The whole sweep (`sweep.json`). */
export interface SweepResult {
  settings: Record<string, unknown>;
  cells: SweepCell[];
  /** Per optimizer: the rate whose cells (mean over seeds) reach the highest MLM accuracy among those that left the baseline. */
  best: Record<string, { lr: number; mlm_accuracy: number } | null>;
  /** False when interrupted before every cell finished. */
  complete: boolean;
  files: { json: string; markdown: string };
}

const SETTINGS_FILE = 'sweep-settings.json';
const CELL_FILE = 'cell.json';

function cellName(optimizer: string, lr: number, seed: number): string {
  return `${optimizer}-lr${lr}-s${seed}`;
}

/** The rates tried with one optimizer. */
function ratesOf(o: SweepOptions, optimizer: string): number[] {
  return Array.isArray(o.rates) ? o.rates : (o.rates[optimizer] ?? []);
}

function validate(o: SweepOptions): void {
  if (!Array.isArray(o.optimizers) || o.optimizers.length === 0) throw new TrainerError('optimizers: at least one name is required', { field: 'optimizers' });
  for (const name of o.optimizers) {
    if (!(OPTIMIZER_NAMES as readonly string[]).includes(name)) {
      throw new TrainerError(`optimizer: '${String(name)}' is not one of ${OPTIMIZER_NAMES.join(', ')}`, { field: 'optimizers', value: name });
    }
  }
  for (const name of o.optimizers) {
    const rates = ratesOf(o, name);
    if (!Array.isArray(rates) || rates.length === 0) throw new TrainerError(`rates: at least one learning rate is required for ${name}`, { field: 'rates' });
    for (const r of rates) checkPositive('rates', r);
  }
  for (const s of o.seeds ?? [0]) checkInteger('seeds', s, 0);
  checkInteger('tokens', o.tokens, 1);
  checkInteger('batchSize', o.batchSize, 1);
  checkInteger('maxSeqLength', o.maxSeqLength, 8);
  checkInteger('evalPairs', o.evalPairs, 2);
  checkInteger('curvePoints', o.curvePoints, 0);
  checkInteger('curvePairs', o.curvePairs, 2);
  const w = o.warmupProportion ?? 0.1;
  if (!(w >= 0 && w <= 1)) throw new TrainerError(`warmupProportion: ${w} must be in [0, 1]`, { field: 'warmupProportion', value: w });
  if (o.objective !== undefined && !SENTENCE_OBJECTIVES.includes(o.objective)) {
    throw new TrainerError(`objective: '${String(o.objective)}' is not one of ${SENTENCE_OBJECTIVES.join(', ')}`, { field: 'objective', value: o.objective });
  }
  if (typeof o.out !== 'string' || o.out === '') throw new TrainerError('out: an output directory is required', { field: 'out', value: o.out });
}

/**
 * Runs (or resumes) a learning-rate sweep and writes `sweep.json` and `sweep.md` into `out` after every cell.
 * `out` is locked while the sweep runs (a second sweep on it is refused with a `RunLockedError`). The backend is
 * the caller's (`useBackend` of `@albert-ts/backends`).
 */
export async function sweep(o: SweepOptions): Promise<SweepResult> {
  validate(o);
  const out = path.resolve(o.out);
  const stream = o.progress === false ? undefined : (o.progress ?? process.stderr);
  return withRunLock(out, () => sweepLocked(o, out), { label: 'sweep', onNote: (line) => void stream?.write(`${line}\n`) });
}

async function sweepLocked(o: SweepOptions, out: string): Promise<SweepResult> {
  fs.mkdirSync(path.join(out, 'cells'), { recursive: true });
  const objective = o.objective ?? 'sop';
  const seeds = o.seeds ?? [0];
  const base = typeof o.config === 'string' ? loadConfig(o.config) : o.config;
  const shape = withOverrides(base, o.overrides ?? {});
  const steps = Math.ceil(o.tokens / (o.batchSize * o.maxSeqLength));
  const settings: Record<string, unknown> = {
    model: configToHf(shape), sharing: o.sharing ?? null, objective,
    corpus: typeof o.corpus === 'string' ? o.corpus : (o.corpusLabel ?? 'prepared corpus'), tokens: o.tokens, steps,
    batchSize: o.batchSize, maxSeqLength: o.maxSeqLength, maxPredictionsPerSeq: o.maxPredictionsPerSeq ?? null,
    dupeFactor: o.dupeFactor ?? 1, warmupProportion: o.warmupProportion ?? 0.1, evalPairs: o.evalPairs ?? 512,
  };
  const settingsPath = path.join(out, SETTINGS_FILE);
  if (fs.existsSync(settingsPath)) {
    const prev = fs.readFileSync(settingsPath, 'utf8');
    if (prev !== `${JSON.stringify(settings, null, 1)}\n`) {
      throw new TrainerError(`out: ${out} holds a sweep with other settings (model, corpus, tokens, batch or evaluation); use another out directory`, { field: 'out', value: o.out });
    }
  } else {
    await writeFileAtomic(settingsPath, `${JSON.stringify(settings, null, 1)}\n`);
  }

  // One tokenization and one held-out set for every cell (so the cells' numbers are paired).
  let corpus: TokenizedCorpus | undefined = typeof o.corpus === 'string' ? undefined : o.corpus;
  let finalSets: EvalSets | undefined;
  let curveSets: EvalSets | undefined; // small: the curve of each run, and its last point
  const inputsBySeed = new Map<number, PretrainingInputs>();
  const prepare = async (): Promise<void> => {
    if (corpus === undefined) {
      const saved = path.join(out, 'spiece.model');
      const vocab = o.vocab ?? (fs.existsSync(saved) ? saved : undefined);
      corpus = await tokenizeCorpus({ corpus: o.corpus as string, tokenizer: vocab !== undefined ? loadAlbertTokenizer(vocab) : undefined, vocabSize: shape.vocabSize });
      if (vocab === undefined) await writeFileAtomic(saved, tokenizerFiles(corpus.tokenizer).get('spiece.model')!);
    }
    const sets = (count: number, seed: number) => heldOutEvalSets(corpus!, { maxSeqLength: o.maxSeqLength, maxPredictionsPerSeq: o.maxPredictionsPerSeq, seed, count });
    finalSets = sets(o.evalPairs ?? 512, 4242);
    if (finalSets === undefined) throw new TrainerError('corpus: fewer than 2 held-out documents; a sweep needs a held-out set', { field: 'corpus' });
    curveSets = sets(o.curvePairs ?? 64, 4243);
  };

  const cells: SweepCell[] = [];
  let complete = true;
  const files = { json: path.join(out, 'sweep.json'), markdown: path.join(out, 'sweep.md') };
  const write = async (): Promise<SweepResult> => {
    const result: SweepResult = { settings, cells, best: bestRates(cells, o.optimizers), complete, files };
    await writeFileAtomic(files.json, `${JSON.stringify(result, null, 1)}\n`);
    await writeFileAtomic(files.markdown, renderSweepMarkdown(result));
    return result;
  };

  outer: for (const seed of seeds) {
    for (const optimizer of o.optimizers) {
      for (const lr of ratesOf(o, optimizer)) {
        const dir = path.join(out, 'cells', cellName(optimizer, lr, seed));
        const donePath = path.join(dir, CELL_FILE);
        if (fs.existsSync(donePath)) {
          cells.push(JSON.parse(fs.readFileSync(donePath, 'utf8')) as SweepCell);
          o.onCell?.(cells.at(-1)!);
          continue;
        }
        if (finalSets === undefined) await prepare();
        let inputs = inputsBySeed.get(seed);
        if (inputs === undefined) {
          inputs = pretrainingInputs(corpus!, {
            objective, seed, maxSeqLength: o.maxSeqLength, maxPredictionsPerSeq: o.maxPredictionsPerSeq, dupeFactor: o.dupeFactor, evalExamples: 0,
          });
          inputsBySeed.set(seed, inputs);
        }
        const curvePoints = o.curvePoints ?? 4;
        const cell = await runCell({
          o, shape, objective, optimizer, lr, seed, steps, dir, inputs, finalSets: finalSets!, curveSets: curveSets!,
          evalEvery: curvePoints > 0 ? Math.max(1, Math.floor(steps / curvePoints)) : 0,
        });
        if (cell === 'interrupted') {
          complete = false;
          break outer;
        }
        await writeFileAtomic(donePath, `${JSON.stringify(cell, null, 1)}\n`);
        cells.push(cell);
        o.onCell?.(cell);
        await write();
      }
    }
  }
  return write();
}

interface CellJob {
  o: SweepOptions; shape: AlbertConfig; objective: SentenceObjective; optimizer: OptimizerName; lr: number; seed: number;
  steps: number; dir: string; inputs: PretrainingInputs; finalSets: EvalSets; curveSets: EvalSets; evalEvery: number;
}

/** Pretrains one cell (resuming its checkpoint), then evaluates it on the shared final set. */
async function runCell(j: CellJob): Promise<SweepCell | 'interrupted'> {
  const { o } = j;
  const tokensPerStep = o.batchSize * o.maxSeqLength;
  const empty = { optimizer: j.optimizer, lr: j.lr, seed: j.seed, steps: j.steps, tokens: j.steps * tokensPerStep };
  let r;
  try {
    r = await pretrain({
      config: j.shape, sharing: o.sharing, objective: j.objective, corpus: settingsCorpus(o), steps: j.steps,
      batchSize: o.batchSize, maxSeqLength: o.maxSeqLength, maxPredictionsPerSeq: j.inputs.instances.maxPredictionsPerSeq,
      dupeFactor: o.dupeFactor, lr: j.lr, warmup: Math.floor((o.warmupProportion ?? 0.1) * j.steps), optimizer: j.optimizer,
      evalEvery: j.evalEvery, saveEvery: Math.max(1, Math.floor(j.steps / 4)), keepCheckpoints: 1, seed: j.seed,
      out: path.join(j.dir, 'run'), resume: true, progress: o.progress, handleSignals: o.handleSignals,
      inputs: j.inputs, evalSets: j.curveSets,
    });
  } catch (e) {
    if (!(e instanceof NonFiniteLossError)) throw e;
    return {
      ...empty, status: 'diverged', mlm: { accuracy: NaN, lo: NaN, hi: NaN, n: 0 }, mlm_loss: NaN,
      baseline: { accuracy: NaN, lo: NaN, hi: NaN }, left_baseline: false, left_baseline_at_tokens: null,
      attention_entropy: NaN, attention_entropy_uniform: NaN, sentence: {}, curve: [], tokens_per_s: 0,
      seconds: { setup: 0, train: 0, eval: 0 }, error: e.message,
    };
  }
  if (r.status !== 'completed') return 'interrupted';
  const t0 = Date.now();
  const { model } = loadPretrainingModel(r.checkpoint);
  let m: EvalMetrics;
  try {
    m = evaluatePretraining(model, j.objective, j.finalSets, {
      batchSize: o.batchSize, maxSeqLength: o.maxSeqLength, maxPredictionsPerSeq: j.inputs.instances.maxPredictionsPerSeq, attentionEntropy: true,
    });
  } finally {
    model.dispose();
  }
  const acc = wilson(m.mlm_correct, m.mlm_count);
  const base = wilson(Math.round(m.mlm_baseline * m.mlm_count), m.mlm_count);
  const curve = r.eval.map((e) => ({
    step: e.step, tokens: e.step * tokensPerStep, mlm_accuracy: e.mlm_accuracy, mlm_loss: e.mlm_loss, left: e.mlm_left_baseline,
  }));
  return {
    ...empty, status: 'completed',
    mlm: { accuracy: acc.value, lo: acc.lo, hi: acc.hi, n: acc.n }, mlm_loss: m.mlm_loss,
    baseline: { accuracy: base.value, lo: base.lo, hi: base.hi }, left_baseline: m.mlm_left_baseline,
    left_baseline_at_tokens: curve.find((c) => c.left)?.tokens ?? (m.mlm_left_baseline ? j.steps * tokensPerStep : null),
    attention_entropy: m.attention_entropy ?? NaN, attention_entropy_uniform: m.attention_entropy_uniform ?? NaN,
    sentence: Object.fromEntries(Object.entries(m).filter(([k, v]) => typeof v === 'number' && /(_accuracy|_rule)$/.test(k) && k !== 'mlm_accuracy')) as Record<string, number>,
    curve: curve.map(({ left: _left, ...c }) => c),
    tokens_per_s: r.tokensPerSecond, seconds: { ...r.seconds, eval: r.seconds.eval + (Date.now() - t0) / 1000 },
  };
}

function settingsCorpus(o: SweepOptions): string {
  return typeof o.corpus === 'string' ? o.corpus : (o.corpusLabel ?? 'prepared corpus');
}

/** Per optimizer, the rate with the highest mean MLM accuracy over seeds among cells that all left the baseline. */
export function bestRates(cells: readonly SweepCell[], optimizers: readonly string[]): SweepResult['best'] {
  const best: SweepResult['best'] = {};
  for (const opt of optimizers) {
    const byRate = new Map<number, SweepCell[]>();
    for (const c of cells.filter((x) => x.optimizer === opt)) byRate.set(c.lr, [...(byRate.get(c.lr) ?? []), c]);
    let winner: { lr: number; mlm_accuracy: number } | null = null;
    for (const [lr, cs] of byRate) {
      if (!cs.every((c) => c.status === 'completed' && c.left_baseline)) continue;
      const mean = cs.reduce((s, c) => s + c.mlm.accuracy, 0) / cs.length;
      if (winner === null || mean > winner.mlm_accuracy) winner = { lr, mlm_accuracy: mean };
    }
    best[opt] = winner;
  }
  return best;
}

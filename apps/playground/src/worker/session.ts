// The worker's state: the backend, the bundled vocabulary and corpus, and one model per slot (A, and B in
// side-by-side mode), with the handlers of every request.
import { BACKEND_NAMES, type BackendName, isCrossOriginIsolated, useBackend } from '@albert-ts/backends';
import {
  type AlbertConfig, type AlbertForPreTraining, countParams, configFromHf, createPretrainingModel, describeHfTensors, hfModelFiles,
  HF_CONFIG_FILE, HF_WEIGHTS_FILE, modelFromHfFiles, type Objective, parseHfConfigJson, parseSafetensorsHeader,
  planSharing, type PretrainingBatch, PROJECTION_KEY, type SharingStrategy, sharingFromHfConfig,
} from '@albert-ts/core';
import { factorized } from '@albert-ts/embeddings';
import { mlm, nsp, sop } from '@albert-ts/objectives';
import type { PretrainingInstance } from '@albert-ts/data';
import { AlbertTokenizer, SPIECE_FILE, tokenizerFiles, tokenizerFromFiles } from '@albert-ts/tokenizer';
import { PlaygroundError } from '../errors.js';
import type {
  BackendReport, ExportResult, FillMaskResult, GeometryResult, InitRequest, ModelReport, Slot, TokenizeResult,
  TrainRequest, TrainResult, WorkerEvent,
} from '../protocol.js';
import {
  EMBEDDING_SIZES, MODEL_PRESETS, OBJECTIVE_CHOICES, type ObjectiveChoice, sharingChoice, type Variant, variantConfig,
  variantCounts, variantLabel, variantObjectives, variantSharing,
} from '../variant.js';
import {
  type Corpus, heldOutInstances, parseCorpus, TOKENS_PER_BATCH, trainingBatches, trainingInstances,
} from './dataset.js';
import { fillMask } from './fill-mask.js';
import { layerGeometry } from './geometry.js';
import { filesFromUpload, zipFiles } from './hf-zip.js';
import { trainModel } from './train.js';

/** config.json key recording the playground variant of an exported model (restored on import). */
export const VARIANT_KEY = 'albert_ts_playground';
/** Held-out sequences the geometry view averages over. */
const GEOMETRY_SEQUENCES = 32;

interface SlotState {
  model: AlbertForPreTraining;
  tokenizer: AlbertTokenizer;
  /** The inter-sentence head (training and held-out instances are built for it). */
  objective: ObjectiveChoice;
  report: ModelReport;
  /** Steps and tokens trained since the model was built or imported. */
  trainedSteps: number;
  trainedTokens: number;
  /** The model's training batches (from its first training; a later run continues the stream). */
  batches?: { next(): PretrainingBatch };
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new PlaygroundError(`could not load ${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * The variant recorded in an exported config.json, when it is one the controls offer and it describes the model in
 * the file (an edited or foreign file is described from its config alone).
 */
function recordedVariant(json: Record<string, unknown>, config: AlbertConfig): Variant | undefined {
  const v = json[VARIANT_KEY] as Partial<Variant> | null | undefined;
  if (typeof v !== 'object' || v === null) return undefined;
  const sharing = sharingChoice(v.sharing);
  const valid = (MODEL_PRESETS as readonly unknown[]).includes(v.preset)
    && (EMBEDDING_SIZES as readonly unknown[]).includes(v.embeddingSize)
    && sharing !== undefined
    && (OBJECTIVE_CHOICES as readonly unknown[]).includes(v.objective)
    && Number.isInteger(v.seed) && (v.seed as number) >= 0;
  if (!valid) return undefined;
  const variant = { ...v, sharing } as Variant;
  const expected = variantConfig(variant);
  if (!(Object.keys(expected) as (keyof AlbertConfig)[]).every((k) => expected[k] === config[k])) return undefined;
  const L = config.numHiddenLayers;
  const plan = (strategy: SharingStrategy) => {
    const p = planSharing(strategy, L, config.innerGroupNum);
    return JSON.stringify([p.innerGroupNum, p.slotOf]);
  };
  return plan(variantSharing(variant)) === plan(sharingFromHfConfig(json, config)) ? variant : undefined;
}

export class Session {
  private tokenizer: AlbertTokenizer | null = null;
  private corpus: Corpus | null = null;
  private readonly slots = new Map<Slot, SlotState>();
  /** Training instances per vocabulary and objective (built on first use). */
  private readonly instances = new WeakMap<AlbertTokenizer, Map<ObjectiveChoice, PretrainingInstance[]>>();

  /** Starts the backend (or the first that works, for `auto`) and loads the bundled vocabulary and corpus. */
  async init(req: InitRequest): Promise<BackendReport> {
    const order: readonly BackendName[] = req.backend === 'auto' ? BACKEND_NAMES : [req.backend];
    const skipped: BackendReport['skipped'] = [];
    let info: Awaited<ReturnType<typeof useBackend>> | null = null;
    for (const name of order) {
      try {
        info = await useBackend(name, name === 'wasm' && req.threads !== undefined ? { threads: req.threads } : {});
        break;
      } catch (e) {
        if (req.backend !== 'auto') throw e;
        skipped.push({ backend: name, reason: (e as Error).message });
      }
    }
    if (info === null) throw new PlaygroundError(`no backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
    if (this.tokenizer === null || this.corpus === null) {
      const [spiece, corpusBytes] = await Promise.all([
        fetchBytes(new URL('spiece.model', req.dataUrl).href), fetchBytes(new URL('corpus.txt', req.dataUrl).href),
      ]);
      this.tokenizer = AlbertTokenizer.fromBytes(spiece);
      this.corpus = await parseCorpus(new TextDecoder().decode(corpusBytes));
    }
    return {
      backend: info.name,
      threads: info.threads,
      ...(info.adapter !== undefined ? { adapter: info.adapter } : {}),
      crossOriginIsolated: isCrossOriginIsolated(),
      skipped,
      vocabSize: this.tokenizer.vocabSize,
      corpus: {
        documents: this.corpus.train.length + this.corpus.heldOut.length,
        sentences: this.corpus.sentences,
        heldOutDocuments: this.corpus.heldOut.length,
      },
    };
  }

  private ready(): { tokenizer: AlbertTokenizer; corpus: Corpus } {
    if (this.tokenizer === null || this.corpus === null) throw new PlaygroundError('the worker is not initialised (send init first)');
    return { tokenizer: this.tokenizer, corpus: this.corpus };
  }

  private slot(slot: Slot): SlotState {
    const s = this.slots.get(slot);
    if (s === undefined) throw new PlaygroundError(`slot ${slot} has no model (build or import one first)`);
    return s;
  }

  private replace(slot: Slot, state: Omit<SlotState, 'trainedSteps' | 'trainedTokens' | 'batches'>): ModelReport {
    this.slots.get(slot)?.model.dispose();
    this.slots.set(slot, { ...state, trainedSteps: 0, trainedTokens: 0 });
    return state.report;
  }

  /** A fresh model of a variant (seeded initialisation). */
  build(slot: Slot, variant: Variant): ModelReport {
    const { tokenizer } = this.ready();
    const config = variantConfig(variant);
    if (config.vocabSize !== tokenizer.vocabSize) {
      throw new PlaygroundError(`preset ${variant.preset} has vocab_size ${config.vocabSize}, the bundled vocabulary ${tokenizer.vocabSize}`);
    }
    const model = createPretrainingModel(config, {
      embeddings: factorized(), sharing: variantSharing(variant), objectives: variantObjectives(variant), seed: variant.seed,
    });
    return this.replace(slot, {
      model, tokenizer, objective: variant.objective,
      report: {
        slot, variant, label: variantLabel(variant), source: 'init', liveParams: model.countParameters(),
        counts: variantCounts(variant),
      },
    });
  }

  tokenize(text: string): TokenizeResult {
    const { tokenizer } = this.ready();
    const enc = tokenizer.encode(text);
    return { ids: enc.inputIds, pieces: tokenizer.convertIdsToTokens(enc.inputIds) };
  }

  async fillMask(slot: Slot, text: string, topK: number): Promise<FillMaskResult> {
    const s = this.slot(slot);
    return fillMask(s.model, s.tokenizer, text, topK);
  }

  async geometry(slot: Slot): Promise<GeometryResult> {
    const { corpus } = this.ready();
    const s = this.slot(slot);
    const instances = await heldOutInstances(corpus, s.tokenizer, s.objective, GEOMETRY_SEQUENCES);
    return layerGeometry(s.model.albert, instances);
  }

  /**
   * Trains the slot's model in place with the trainer's `train()` on the bundled corpus's training documents,
   * posting a step event after every step; `signal` interrupts it between two steps.
   */
  async train(req: TrainRequest, signal: AbortSignal, emit: (e: WorkerEvent) => void): Promise<TrainResult> {
    const { corpus } = this.ready();
    const s = this.slot(req.slot);
    if (s.batches === undefined) {
      let cache = this.instances.get(s.tokenizer);
      if (cache === undefined) this.instances.set(s.tokenizer, cache = new Map());
      let instances = cache.get(s.objective);
      if (instances === undefined) cache.set(s.objective, instances = await trainingInstances(corpus, s.tokenizer, s.objective));
      s.batches = trainingBatches(instances);
    }
    const r = await trainModel(s.model, s.batches, {
      steps: req.steps, learningRate: req.learningRate, optimizer: req.optimizer, seed: s.report.variant?.seed ?? 0,
      tokensPerBatch: TOKENS_PER_BATCH, signal,
      onStep: (info) => {
        s.trainedSteps += 1;
        s.trainedTokens += info.tokens;
        emit({
          event: 'step', slot: req.slot, step: s.trainedSteps, tokens: s.trainedTokens, loss: info.loss,
          metrics: { ...info.metrics }, tokensPerSecond: info.tokens / Math.max(info.seconds, 1e-3),
        });
      },
    });
    return {
      status: r.status === 'interrupted' ? 'interrupted' : 'completed', steps: r.step, totalSteps: s.trainedSteps,
      tokensPerSecond: r.tokensPerSecond,
    };
  }

  /**
   * The slot's model as a zip of a HF directory: config.json (+ the variant), model.safetensors, and the tokenizer's
   * spiece.model, tokenizer_config.json and special_tokens_map.json (`AutoTokenizer` loads them).
   */
  export(slot: Slot): ExportResult {
    const s = this.slot(slot);
    const files = hfModelFiles(s.model, {
      ...(s.report.variant !== undefined ? { config: { [VARIANT_KEY]: s.report.variant } } : {}),
      tokenizerFiles: tokenizerFiles(s.tokenizer, { modelMaxLength: s.model.config.maxPositionEmbeddings }),
    });
    const name = (s.report.label.replace(/[^A-Za-z0-9=+.-]+/g, '-').replace(/-+$/, '') || 'model');
    return { zip: zipFiles(files), fileName: `albert-playground-${name}.zip`, files: [...files.keys()] };
  }

  /**
   * Loads a HF directory (zip or loose files) into a slot with core's `modelFromHfFiles`, the loader Node's
   * `loadHfModel` uses. Heads: MLM (required for fill-mask) plus the sentence head when the file has one.
   */
  import(slot: Slot, upload: { name: string; bytes: Uint8Array }[]): ModelReport {
    const ready = this.ready();
    const files = filesFromUpload(upload);
    const json = parseHfConfigJson(files.get(HF_CONFIG_FILE)!);
    const config = configFromHf(json);
    const names = parseSafetensorsHeader(files.get(HF_WEIGHTS_FILE)!).tensors.keys();
    const contents = describeHfTensors(names);
    if (!contents.hasMlmHead) throw new PlaygroundError('model.safetensors has no MLM head (predictions.*); the playground needs one');
    const variant = recordedVariant(json, config);
    const sentence: ObjectiveChoice = variant?.objective === 'nsp' ? 'nsp' : contents.hasSopHead ? 'sop' : 'none';
    const objectives: Objective[] = sentence === 'none' ? [mlm()] : [mlm(), sentence === 'nsp' ? nsp() : sop()];
    // The directory's tokenizer (spiece.model with tokenizer_config.json's settings), else the bundled one.
    const tokenizer = files.has(SPIECE_FILE) ? tokenizerFromFiles(files) : ready.tokenizer;
    if (tokenizer.vocabSize !== config.vocabSize) {
      throw new PlaygroundError(`config.json has vocab_size ${config.vocabSize} but the vocabulary has ${tokenizer.vocabSize} pieces` +
        (files.has(SPIECE_FILE) ? '' : ` (no ${SPIECE_FILE} in the upload, so the bundled vocabulary was used)`));
    }
    const embeddings = factorized({ projection: json[PROJECTION_KEY] === 'none' ? 'auto' : 'always' });
    const model = modelFromHfFiles(files, { embeddings, objectives });
    const sharing = sharingFromHfConfig(json, config);
    const counts = countParams(config, { embeddings, sharing, objectives, addPoolingLayer: model.albert.pooler !== undefined });
    const label = variant !== undefined ? variantLabel(variant)
      : `imported H=${config.hiddenSize} L=${config.numHiddenLayers} E=${config.embeddingSize} ${sharing.name}`;
    return this.replace(slot, {
      model, tokenizer, objective: sentence,
      report: {
        slot, ...(variant !== undefined ? { variant } : {}), label, source: 'import', liveParams: model.countParameters(),
        counts,
      },
    });
  }
}
